"""Reads for the duty console, the map and the dashboard, with the policy applied.

Reports come through reports' own selectors (``report_list`` scopes them to the person), the
conversations through interactions' selectors, and the metrics through ``report_metrics``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwei.access.policy import may
from zhengwei.duty.models import Change
from zhengwei.interactions import policy as I
from zhengwei.interactions import selectors as inbox
from zhengwei.lib.privacy import coarse, mask_text
from zhengwei.reports import geo, workflow
from zhengwei.reports import policy as R
from zhengwei.reports import selectors as reports
from zhengwei.reports.models import Hazard, Priority, Report, ReportPhoto, ReportView, State

CONSOLE_LIMIT = 200
# Rows newer than this may still be joined by rows with smaller ids whose transactions commit
# later (PostgreSQL hands out ids before commit): the cursor stays behind them, and the client
# de-duplicates what it sees twice.
CURSOR_LAG = timedelta(seconds=2)


# --- the console -------------------------------------------------------------------------------
def _urgency(report: Report) -> tuple:
    return (
        -report.escalation_level,
        0 if report.lives_in_danger or report.priority == Priority.P0 else 1,
        0 if report.first_ack_at is None else 1,
        -report.created_at.timestamp(),
    )


def console_reports(*, user, account, ids=None) -> list[Report]:
    """Open reports, most urgent first: escalated (office leader, then duty leader), lives in
    danger, then not yet acknowledged, then newest."""
    qs = reports.report_list(user=user, account=account, filters={"state": "open"})
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    rows = list(qs.order_by("-created_at")[:CONSOLE_LIMIT])
    return sorted(rows, key=_urgency)


def reports_by_id(*, user, account, ids) -> dict[int, Report]:
    """The given reports the person may see, open or not (a finished one leaves the console)."""
    qs = reports.report_queryset(user=user, account=account).filter(pk__in=ids)
    return {r.pk: r for r in qs}


def is_on_console(report: Report) -> bool:
    return report.state in workflow.OPEN_STATES


def photo_index(ids) -> dict[int, list[int]]:
    """report id → its photo ids, in order (one query)."""
    out: dict[int, list[int]] = {}
    for pk, report_id in (
        ReportPhoto.objects.filter(report_id__in=list(ids))
        .order_by("id")
        .values_list("pk", "report_id")
    ):
        out.setdefault(report_id, []).append(pk)
    return out


def console_conversations(*, user, account, ids=None) -> list:
    qs = inbox.conversation_list(user=user, account=account, filters={"state": "open"})
    if ids is not None:
        qs = inbox.conversation_queryset(user=user, account=account).filter(pk__in=ids)
    return list(qs[:100])


def cursor_now(account) -> int:
    return Change.objects.filter(account=account).aggregate(m=Max("id"))["m"] or 0


@dataclass
class Changes:
    cursor: int
    report_ids: list[int]
    conversation_ids: list[int]


def changes_since(*, account, cursor: int, now: datetime | None = None) -> Changes | None:
    """What changed after ``cursor`` (None when nothing did: the usual answer, one query)."""
    rows = list(
        Change.objects.filter(account=account, id__gt=cursor)
        .order_by("id")
        .values_list("id", "kind", "object_id", "at")[:1000]
    )
    if not rows:
        return None
    now = now or timezone.now()
    settled = [r[0] for r in rows if r[3] <= now - CURSOR_LAG]
    new_cursor = max(settled) if settled else cursor
    if len(rows) == 1000:  # a burst: move on, the client asks again at once
        new_cursor = rows[-1][0]
    report_ids = sorted({r[2] for r in rows if r[1] == "report"})
    conversation_ids = sorted({r[2] for r in rows if r[1] == "conversation"})
    return Changes(new_cursor, report_ids, conversation_ids)


def unseen_by(user, report_ids) -> list[int]:
    """Of these reports, the ones this person has never had in front of them."""
    seen = set(
        ReportView.objects.filter(user=user, report_id__in=list(report_ids)).values_list(
            "report_id", flat=True
        )
    )
    return [pk for pk in report_ids if pk not in seen]


def alarms(*, user, account) -> list[Report]:
    """P0 / lives-in-danger reports still open: the red banner with the 110/119 hand-off."""
    qs = reports.report_list(user=user, account=account, filters={"state": "open"})
    return list(
        qs.filter(Q(lives_in_danger=True) | Q(priority=Priority.P0)).order_by("created_at")[:20]
    )


def headline(*, user, account, now: datetime | None = None) -> dict[str, Any]:
    """Not yet acknowledged by a duty officer: how many, and the oldest waiting."""
    now = now or timezone.now()
    qs = reports.report_list(user=user, account=account, filters={"state": "open"})
    waiting = reports.awaiting_ack(qs)
    oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return {
        "open": qs.count(),
        "unacknowledged": waiting.count(),
        "oldest_waiting_s": round((now - oldest).total_seconds()) if oldest else None,
        "overdue": qs.filter(due_at__lt=now).count(),
    }


# --- the map -----------------------------------------------------------------------------------
PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


def map_features(*, user, account, filters: dict[str, str], now=None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the reports in scope, in the map tiles' datum."""
    now = now or timezone.now()
    f = dict(filters)
    period = PERIODS.get(f.pop("period", "7d") or "7d", PERIODS["7d"])
    f["start"] = now - period
    qs = reports.report_list(user=user, account=account, filters=f).filter(
        lat__isnull=False, lng__isnull=False
    )
    rows = list(qs.order_by("-created_at")[:2000])
    may_photos = {r.pk for r in rows if may(user, R.REPORTS_PERSONAL_DATA, r)}
    photos: dict[int, list[int]] = {}
    for pk, report_id in ReportPhoto.objects.filter(report_id__in=may_photos).values_list(
        "pk", "report_id"
    ):
        photos.setdefault(report_id, []).append(pk)
    gcj = settings.MAP_TILE_URL and settings.MAP_TILE_DATUM == "gcj02"
    features = []
    for r in rows:
        # Exact points for those who may see personal data on the report; about a kilometre
        # (zhengwei.lib.privacy.coarse) for everyone else.
        lat, lng = r.lat, r.lng
        if r.pk not in may_photos:
            lat, lng = coarse(lat, lng)
        lng, lat = geo.wgs84_to_gcj02(lng, lat) if gcj else (lng, lat)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": {
                    "ticket": r.ticket,
                    "hazard": str(r.get_hazard_display()),
                    "hazard_code": r.hazard,
                    "state": str(r.get_state_display()),
                    "state_code": r.state,
                    "priority": r.priority,
                    "lives_in_danger": r.lives_in_danger,
                    "open": r.state in workflow.OPEN_STATES,
                    "overdue": r.is_overdue(now),
                    "county": r.county_name,
                    "received": timezone.localtime(r.created_at).strftime("%m-%d %H:%M"),
                    "description": mask_text(
                        r.description,
                        names=() if r.pk in may_photos else (r.reporter_name,),
                    )[:200],
                    "url": reverse("reports:detail", args=[r.ticket]),
                    "photos": [
                        reverse("reports:photo", args=[pk, "display"])
                        for pk in photos.get(r.pk, [])
                    ],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- the dashboard -------------------------------------------------------------------------------
# How the figures are counted (the same rules as reports' report_metrics, in the interface language).
NOTES = [
    gettext_lazy(
        "Duplicates, referred (not ours) and rejected (false) reports are left out of the deadline, "
        "response, resolution, satisfaction and reopen figures, and counted separately."
    ),
    gettext_lazy(
        "Acknowledgement times count only reports citizens sent themselves (chat, mobile form, "
        "Open311), from the moment they sent them."
    ),
    gettext_lazy("Median: the middle value; p90: nine in ten were faster."),
    gettext_lazy(
        "Deadline compliance and the response rate count only reports whose deadline has passed "
        "or that were already resolved or contacted."
    ),
    gettext_lazy(
        "Satisfaction: 4 or 5 out of 5 among the rated reports; coverage is the share of resolved "
        "reports that were rated."
    ),
    gettext_lazy(
        "Seen first by the office: the first person to open the report belonged to the office or "
        "one of its units, not the contractor."
    ),
]


def _minutes(seconds):
    return None if seconds is None else round(seconds / 60, 1)


def dashboard(*, user, account, days: int = 7, trend_days: int = 14, now=None) -> dict[str, Any]:
    """report_metrics for the period, in minutes and percentages, plus a daily trend."""
    now = now or timezone.now()
    start = now - timedelta(days=days)
    m = reports.report_metrics(account, start, now, user=user, now=now)
    times = {
        key: {
            "n": m[key]["n"],
            "median_min": _minutes(m[key]["median_s"]),
            "p90_min": _minutes(m[key]["p90_s"]),
        }
        for key in (
            "time_to_auto_ack",
            "time_to_first_ack",
            "time_to_dispatch",
            "time_to_contact",
            "time_to_resolve",
        )
    }

    def pct(value):
        return None if value is None else round(100 * value, 1)

    rates = {
        "response_rate": pct(m["response_rate"]["rate"]),
        "resolution_rate": pct(m["resolution_rate"]["rate"]),
        "satisfaction_rate": pct(m["satisfaction_rate"]["rate"]),
        "deadline_compliance": pct(m["deadline_compliance"]["rate"]),
        "seen_first_by_office": pct(m["seen_first_by_office"]["rate"]),
        "duplicate_rate": pct(m["duplicate_rate"]["rate"]),
        "reopen_rate": pct(m["reopen_rate"]["rate"]),
        "rating_coverage": pct(m["satisfaction_rate"]["coverage"]),
    }
    trend = []
    local_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for back in range(trend_days - 1, -1, -1):
        day_start = local_today - timedelta(days=back)
        day_end = min(day_start + timedelta(days=1), now)
        d = reports.report_metrics(account, day_start, day_end, now=now)
        trend.append(
            {
                "day": day_start.strftime("%m-%d"),
                "received": d["counts"]["received"],
                "first_ack_median_min": _minutes(d["time_to_first_ack"]["median_s"]),
                "first_ack_p90_min": _minutes(d["time_to_first_ack"]["p90_s"]),
                "resolved": d["resolution_rate"]["resolved"],
            }
        )
    by_state = {str(State(s).label): n for s, n in m["counts"]["by_state"].items()}
    hazards = Counter(
        Report.objects.filter(
            account=account, created_at__gte=start, created_at__lt=now
        ).values_list("hazard", flat=True)
    )
    by_hazard = {str(Hazard(h).label): hazards.get(h, 0) for h in Hazard.values}
    return {
        "period_days": days,
        "generated_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        "counts": m["counts"],
        "by_state": by_state,
        "by_hazard": by_hazard,
        "times": times,
        "rates": rates,
        "deadline": m["deadline_compliance"],
        "overdue_now": {
            "count": m["overdue_now"]["count"],
            "oldest_overdue_h": None
            if m["overdue_now"]["oldest_overdue_s"] is None
            else round(m["overdue_now"]["oldest_overdue_s"] / 3600, 1),
        },
        "seen": m["seen_first_by_office"],
        "satisfaction": m["satisfaction_rate"],
        "not_yet_acknowledged": m["time_to_first_ack"]["not_yet"],
        "trend": trend,
        "notes": [str(n) for n in NOTES],
    }


def inbox_summary(*, user, account) -> dict[str, Any] | None:
    if not may(user, I.INBOX_VIEW, account):
        return None
    return inbox.inbox_counts(user=user, account=account)


def fmt_age(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    minutes = math.floor(seconds / 60)
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}
