"""Reads of flood data: rain over a window, latest levels with their status, typhoons, warnings.

The data is not personal and not per account: these reads need no permission check, the views
that show them decide who sees the page (the live pages are public, like the menu they serve).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from zhengwei.hydro.models import (
    EmergencyResponse,
    Forecast,
    HazardWarning,
    RainObservation,
    Region,
    ReservoirObservation,
    RiverObservation,
    Station,
    Threshold,
    Typhoon,
)
from zhengwei.lib import hydrostd

# How far back the "latest" level of a station may be to still count as current.
LATEST_WITHIN = timedelta(hours=6)


def data_time() -> datetime | None:
    """The newest observation time held (the live pages' "now": a stale feed shows its age
    instead of empty pages)."""
    # Max(tm) over a whole observation table is a scan of millions of rows (the BRIN index on
    # time cannot answer it: 10 s at province scale); each station's newest row is one probe of
    # the (station, tm) primary key, a few thousand probes in all.
    times = [
        Station.objects.annotate(
            t=Subquery(
                model.objects.filter(station=OuterRef("pk")).order_by("-tm").values("tm")[:1]
            )
        ).aggregate(newest=Max("t"))["newest"]
        for model in (RainObservation, RiverObservation, ReservoirObservation)
    ]
    times = [t for t in times if t is not None]
    return max(times) if times else None


def as_of(now: datetime | None = None) -> datetime:
    newest = data_time()
    now = now or timezone.now()
    return min(now, newest) if newest else now


def rain_totals(start: datetime, end: datetime, stations=None) -> dict[str, float]:
    """Rain per station in the window (start, end], mm."""
    rows = RainObservation.objects.filter(tm__gt=start, tm__lte=end)
    if stations is not None:
        rows = rows.filter(station_id__in=stations)
    return {
        stcd: float(total)
        for stcd, total in rows.values("station_id")
        .annotate(t=Sum("drp"))
        .values_list("station_id", "t")
    }


def max_interval_rain(
    start: datetime, end: datetime, hours: int = 1
) -> tuple[str, datetime, float] | None:
    """The largest rain in ``hours`` consecutive hours within the window: (station, end time, mm)."""
    rows = (
        RainObservation.objects.filter(tm__gt=start, tm__lte=end)
        .order_by("station_id", "tm")
        .values_list("station_id", "tm", "drp")
    )
    if hours == 1:
        best = rows.order_by("-drp", "tm").first()
        return (best[0], best[1], float(best[2])) if best else None
    by_station: dict[str, list] = defaultdict(list)
    for stcd, tm, drp in rows:
        by_station[stcd].append((tm, float(drp)))
    best = None
    span = timedelta(hours=hours)
    for stcd, series in by_station.items():
        left, total = 0, 0.0
        for tm, drp in series:
            total += drp
            while series[left][0] <= tm - span:
                total -= series[left][1]
                left += 1
            if best is None or total > best[2]:
                best = (stcd, tm, round(total, 1))
    return best


def limits_by_station(stations=None) -> dict[str, list[hydrostd.Limit]]:
    rows = Threshold.objects.all()
    if stations is not None:
        rows = rows.filter(station_id__in=stations)
    limits: dict[str, list[hydrostd.Limit]] = defaultdict(list)
    for threshold in rows:
        limits[threshold.station_id].append(threshold.limit())
    return limits


@dataclass
class Level:
    stcd: str
    tm: datetime
    value: float
    trend: str
    status: hydrostd.Status
    storage: float | None = None
    flow: float | None = None


def latest_levels(
    at: datetime, *, reservoirs: bool = False, within=LATEST_WITHIN
) -> dict[str, Level]:
    """Each river (or reservoir) station's latest level at ``at`` and its status then."""
    model = ReservoirObservation if reservoirs else RiverObservation
    rows = model.objects.filter(tm__gt=at - within, tm__lte=at).order_by("tm")
    if reservoirs:
        values = rows.values_list("station_id", "tm", "rz", "rwptn", "w", "inq")
    else:
        values = rows.values_list("station_id", "tm", "z", "wptn", "q", "q")
    latest: dict[str, tuple] = {}
    for row in values:
        latest[row[0]] = row
    limits = limits_by_station(list(latest))
    day = timezone.localtime(at).date()
    result = {}
    for stcd, (_s, tm, value, trend, extra, flow) in latest.items():
        result[stcd] = Level(
            stcd=stcd,
            tm=tm,
            value=float(value),
            trend=trend,
            status=hydrostd.station_status(value, limits.get(stcd, []), day),
            storage=float(extra) if reservoirs and extra is not None else None,
            flow=float(flow) if flow is not None else None,
        )
    return result


def stations_by_code(codes=None) -> dict[str, Station]:
    rows = Station.objects.select_related("region", "region__parent")
    if codes is not None:
        rows = rows.filter(stcd__in=list(codes))
    return {s.stcd: s for s in rows}


def active_warnings(at: datetime):
    return (
        HazardWarning.objects.filter(issued_at__lte=at)
        .filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=at))
        .select_related("region")
    )


def active_responses(at: datetime):
    return (
        EmergencyResponse.objects.filter(started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .select_related("region")
    )


def typhoons_near(at: datetime, *, days: int = 3):
    """Typhoons active at ``at``: flagged active, or with a point within ``days`` before it."""
    return (
        Typhoon.objects.filter(
            Q(is_active=True)
            | Q(points__tm__gt=at - timedelta(days=days), points__tm__lte=at + timedelta(hours=6))
        )
        .distinct()
        .order_by("-tfid")
    )


def track(typhoon: Typhoon, until: datetime | None = None) -> list:
    """Observed positions, one per time (real-time bulletins preferred over best track)."""
    rank = {"zjwater": 0, "cma_bst": 1, "ibtracs": 2}
    chosen: dict = {}
    points = typhoon.points.all()
    if until is not None:
        points = points.filter(tm__lte=until)
    for point in points:
        current = chosen.get(point.tm)
        if current is None or rank.get(point.source, 9) < rank.get(current.source, 9):
            chosen[point.tm] = point
    return [chosen[t] for t in sorted(chosen)]


def latest_forecasts(typhoon: Typhoon, until: datetime | None = None) -> dict[str, list[Forecast]]:
    """Each agency's latest forecast path issued by ``until``."""
    rows = typhoon.forecasts.all()
    if until is not None:
        rows = rows.filter(issued_at__lte=until)
    latest: dict[str, datetime] = {
        agency: issued
        for agency, issued in rows.values("agency")
        .annotate(m=Max("issued_at"))
        .values_list("agency", "m")
    }
    paths: dict[str, list[Forecast]] = defaultdict(list)
    for forecast in rows.order_by("agency", "tm"):
        if forecast.issued_at == latest.get(forecast.agency):
            paths[forecast.agency].append(forecast)
    return dict(paths)


def local_iso(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def typhoon_summaries(at: datetime, *, limit: int | None = None) -> list[dict]:
    """The typhoons near ``at``, each as its last observed position (grade, wind, pressure, the
    warning lines it is inside), each agency's first forecast points and its landfalls so far —
    the one shape the chat snapshot and the daily briefing both use."""
    typhoons = typhoons_near(at)
    summaries = []
    for typhoon in typhoons[:limit] if limit else typhoons:
        points = track(typhoon, until=at)
        if not points:
            continue
        last = points[-1]
        summaries.append(
            {
                "tfid": typhoon.tfid,
                "name": typhoon.name_cn,
                "en": typhoon.name_en,
                "tm": local_iso(last.tm),
                "lat": last.lat,
                "lng": last.lng,
                "grade": last.get_grade_display() if last.grade else "",
                "wind": last.wind,
                "force": hydrostd.beaufort_label(hydrostd.beaufort(last.wind)) if last.wind else "",
                "pressure": last.pressure,
                "in24": hydrostd.inside_24h_line(last.lng, last.lat),
                "in48": hydrostd.inside_48h_line(last.lng, last.lat),
                "forecast": [
                    {"agency": agency, "tm": local_iso(f.tm), "lat": f.lat, "lng": f.lng}
                    for agency, path in latest_forecasts(typhoon, until=at).items()
                    for f in path[:2]
                ],
                "landfalls": [
                    {"tm": local_iso(lf.tm), "place": lf.place}
                    for lf in typhoon.landfalls.filter(tm__lte=at)
                ],
            }
        )
    return summaries


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("adcd", "name"))


ROW_KINDS = {
    "rain": (RainObservation, ("drp", "intv"), ("雨量（毫米）", "时段（小时）")),
    "river": (RiverObservation, ("z", "q", "wptn"), ("水位（米）", "流量（立方米每秒）", "水势")),
    "reservoir": (
        ReservoirObservation,
        ("rz", "w", "inq", "otq"),
        ("库水位（米）", "蓄水量（百万立方米）", "入库流量", "出库流量"),
    ),
}


def observation_rows(
    kind: str, start: datetime, end: datetime, codes: list[str], *, limit: int
) -> dict:
    """The observations of ``kind`` in (start, end] for ``codes`` (all stations when empty), the
    first ``limit`` by station and time, and for rain each station's total in the window."""
    model, fields, headers = ROW_KINDS[kind]
    rows = model.objects.filter(tm__gt=start, tm__lte=end)
    if codes:
        rows = rows.filter(station_id__in=codes)
    names = (
        dict(Station.objects.filter(stcd__in=codes).values_list("stcd", "name")) if codes else {}
    )
    listed = list(
        rows.order_by("station_id", "tm").values_list("station_id", "tm", *fields)[:limit]
    )
    if not codes:
        names = dict(
            Station.objects.filter(stcd__in={r[0] for r in listed}).values_list("stcd", "name")
        )
    totals = []
    if kind == "rain" and codes:
        sums = rain_totals(start, end, stations=codes)
        totals = [{"name": names.get(s, s), "total": round(t, 1)} for s, t in sorted(sums.items())]
    return {
        "count": rows.count(),
        "headers": headers,
        "rows": [
            {"stcd": r[0], "name": names.get(r[0], r[0]), "tm": r[1], "values": r[2:]}
            for r in listed
        ],
        "totals": totals,
    }
