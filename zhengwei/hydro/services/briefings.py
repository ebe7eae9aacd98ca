"""每日汛情简报: generated from the data for a window, reviewed in the newsroom.

``briefing_generate`` computes the numbers (``briefing_numbers``), writes the text in the order
Fujian briefings use (雨情, 水情, 水库, 台风, 预警与应急响应), renders the charts and the QR code to
the live track page, and stores it all as a draft. ``briefing_offer`` hands it to the newsroom
(``newsroom.services.article_offer``) as a draft article: it is never published from here; the
newsroom's review chain decides.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record
from zhengwei.hydro import briefing_numbers, charts
from zhengwei.hydro import policy as P
from zhengwei.hydro import selectors as S
from zhengwei.hydro.models import (
    Briefing,
    BriefingChart,
    BriefingStatus,
    RiverObservation,
    Typhoon,
)
from zhengwei.lib import hydrostd
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import WeChatAccount

MAX_WINDOW = timedelta(days=7)
LEVEL_PANELS = 4


def _title(end: datetime) -> str:
    end = timezone.localtime(end)
    return _("Daily flood briefing, %(month)s/%(day)s") % {"month": end.month, "day": end.day}


def _level_series(numbers: dict, start: datetime, end: datetime) -> dict[str, dict]:
    over = numbers["figures"]["rivers_over_warning"]["extra"]["stations"][:LEVEL_PANELS]
    series = {}
    day = timezone.localtime(end).date()
    limits = S.limits_by_station([r["stcd"] for r in over])
    for row in over:
        rows = list(
            RiverObservation.objects.filter(station_id=row["stcd"], tm__gt=start, tm__lte=end)
            .order_by("tm")
            .values_list("tm", "z")
        )
        active = {
            k: v.value for k, v in hydrostd.limits_on(limits.get(row["stcd"], []), day).items()
        }
        series[f"{row['river']} {row['station']}"] = {
            "times": [timezone.localtime(t) for t, _z in rows],
            "levels": [float(z) for _t, z in rows],
            "warning": active.get("WRZ"),
            "guarantee": active.get("GRZ"),
        }
    return series


def _tracks(numbers: dict, end: datetime) -> list[dict]:
    result = []
    for t in numbers["typhoons"]:
        typhoon = Typhoon.objects.get(pk=t["tfid"])
        points = S.track(typhoon, until=end)
        # A forecast older than a day says nothing about what comes next.
        forecasts = {
            agency: path
            for agency, path in S.latest_forecasts(typhoon, until=end).items()
            if path and path[0].issued_at >= end - timedelta(hours=24)
        }
        result.append(
            {
                "name": typhoon.name_cn,
                "observed": [{"lng": p.lng, "lat": p.lat, "grade_code": p.grade} for p in points],
                "forecasts": {
                    agency: [{"lng": f.lng, "lat": f.lat} for f in path]
                    for agency, path in forecasts.items()
                },
            }
        )
    return result


def _absolute(path: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + path


def briefing_generate(
    *, actor, account: WeChatAccount, start: datetime | None = None, end: datetime | None = None
) -> Briefing:
    """A new draft briefing for the window (start, end] (default: the last 06:00–06:00 day)."""
    require(actor, P.HYDRO_BRIEFING, account)
    if start is None or end is None:
        start, end = briefing_numbers.default_window()
    if end <= start or end - start > MAX_WINDOW:
        raise ValidationError(_("The window must end after it starts and last at most 7 days."))
    numbers = briefing_numbers.compute(start, end)
    stations = S.stations_by_code()
    images = [
        ("rain_map", _("Rainfall map"), charts.rain_map(numbers, stations)),
        ("rain_bars", _("Wettest gauges"), charts.rain_bars(numbers)),
    ]
    series = _level_series(numbers, start, end)
    if series:
        images.append(("levels", _("Water levels against warning lines"), charts.levels(series)))
    tracks = _tracks(numbers, end)
    if tracks:
        images.append(("track", _("Typhoon track"), charts.track(tracks)))
        track_url = _absolute(
            reverse("hydro:live_typhoon_one", args=[numbers["typhoons"][0]["tfid"]])
        )
    else:
        track_url = _absolute(reverse("hydro:live"))
    images.append(("qr", _("QR code to the live page"), charts.qr(track_url)))
    with transaction.atomic():
        briefing = Briefing.objects.create(
            account=account,
            title=_title(end),
            window_start=start,
            window_end=end,
            numbers=numbers,
            body_html="",
            created_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for kind, title, png in images:
            BriefingChart.objects.create(briefing=briefing, kind=kind, title=title, png=png)
        briefing.body_html = render_body(briefing, links=False)
        briefing.digest = digest(numbers)[:200]
        briefing.save(update_fields=["body_html", "digest"])
        audit_record(
            actor=actor,
            action="hydro.briefing.generate",
            obj=briefing,
            after={"start": numbers["start"], "end": numbers["end"]},
        )
        publish_on_commit(
            "hydro.briefing.generated", briefing_id=briefing.pk, account_id=account.pk
        )
    return briefing


def render_body(briefing: Briefing, *, links: bool) -> str:
    """The briefing's text as HTML: with ``links`` every number links to its rows (the review
    page); without, it is the article body (images by absolute URL, numbers plain)."""
    charts_by_kind = {
        c.kind: {
            "title": c.title,
            "url": _absolute(reverse("hydro:briefing_chart", args=[briefing.pk, c.kind])),
        }
        for c in briefing.charts.all()
    }
    return render_to_string(
        "hydro/briefing_body.html",
        {
            "b": briefing,
            "n": briefing.numbers,
            "f": briefing.numbers.get("figures", {}),
            "links": links,
            "rows_url": reverse("hydro:rows"),
            "charts": charts_by_kind,
            "track_url": _absolute(reverse("hydro:live_typhoon")),
            "thresholds": (50, 100, 250),
        },
    )


def digest(numbers: dict) -> str:
    f = numbers["figures"]
    parts = []
    if "rain_max_point" in f:
        top = f["rain_max_point"]
        parts.append(
            _("most rain %(station)s %(mm)s mm")
            % {"station": top["extra"]["station"], "mm": top["value"]}
        )
    parts.append(_("%(n)s river stations over warning") % {"n": f["rivers_over_warning"]["value"]})
    if numbers["typhoons"]:
        parts.append(_("typhoon %(name)s") % {"name": numbers["typhoons"][0]["name"]})
    return "；".join(parts)


def briefing_offer(*, actor, briefing: Briefing) -> Briefing:
    """Send the draft to the newsroom as an article for review (once)."""
    from zhengwei.newsroom.services import article_offer

    require(actor, P.HYDRO_BRIEFING, briefing.account)
    with transaction.atomic():
        briefing = lock(briefing)
        if briefing.status == BriefingStatus.OFFERED:
            raise ValidationError(_("This briefing is already with the newsroom."))
        # The charts go with it: the newsroom uploads them to WeChat in place of these URLs.
        images = {
            _absolute(reverse("hydro:briefing_chart", args=[briefing.pk, c.kind])): bytes(c.png)
            for c in briefing.charts.all()
        }
        article = article_offer(
            account=briefing.account,
            title=briefing.title,
            body_html=briefing.body_html,
            digest=briefing.digest,
            source="hydro",
            actor=actor,
            images=images,
        )
        briefing.status = BriefingStatus.OFFERED
        briefing.offered_at = timezone.now()
        briefing.article_id = article.pk
        briefing.save(update_fields=["status", "offered_at", "article_id"])
        audit_record(
            actor=actor,
            action="hydro.briefing.offer",
            obj=briefing,
            after={"article": article.pk},
        )
        publish_on_commit("hydro.briefing.offered", briefing_id=briefing.pk, article_id=article.pk)
    return briefing
