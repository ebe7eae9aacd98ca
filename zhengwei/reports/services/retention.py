"""Retention of reports' personal data (registered with lib/retention in apps.py).

Only reports that are done (closed, duplicate, referred, rejected) for longer than the period are
touched: their exact position is coarsened to two decimals (about 1 km, still enough for
statistics and maps) and their link to the reporter's openid is removed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Min

from zhengwei.lib.sealed import index_values
from zhengwei.reports.models import Report, ReportPhoto
from zhengwei.reports.workflow import CLOSED_STATES

BATCH = 500


def _closed_before(cutoff: datetime):
    return Report.objects.filter(state__in=CLOSED_STATES, closed_at__lt=cutoff)


def reports_coarsen_locations(cutoff: datetime) -> int:
    count = 0
    rows = _closed_before(cutoff).filter(lat__isnull=False).values_list("pk", "lat", "lng")
    for pk, lat, lng in rows.iterator(chunk_size=BATCH):
        coarse = (round(lat, 2), round(lng, 2) if lng is not None else None)
        if coarse != (lat, lng):
            with transaction.atomic():
                Report.objects.filter(pk=pk).update(lat=coarse[0], lng=coarse[1])
            count += 1
    return count


def reports_forget_openids(cutoff: datetime) -> int:
    return (
        _closed_before(cutoff)
        .exclude(reporter_openid="")
        .update(**index_values(reporter_openid=""))
    )


def _kept(cutoff: datetime):
    return Report.objects.exclude(state__in=CLOSED_STATES, closed_at__lt=cutoff)


def reports_oldest_location(cutoff: datetime):
    return _kept(cutoff).filter(lat__isnull=False).aggregate(t=Min("created_at"))["t"]


def reports_oldest_openid(cutoff: datetime):
    return _kept(cutoff).exclude(reporter_openid="").aggregate(t=Min("created_at"))["t"]


def reports_purge_photos(cutoff: datetime) -> tuple[int, int]:
    """Photos of reports closed before the cutoff: rows and files (original and display copy).
    The files go once the rows' deletion has committed, so a failed run leaves both."""
    photos = list(ReportPhoto.objects.filter(report__in=_closed_before(cutoff)))
    names = [(f.storage, f.name) for p in photos for f in (p.original, p.display) if f.name]
    with transaction.atomic():
        ReportPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    return len(photos), len(names)


def reports_oldest_photo(cutoff: datetime):
    return ReportPhoto.objects.aggregate(t=Min("uploaded_at"))["t"]
