"""The numbers of a 每日汛情简报 for a window, each with the rows behind it.

Every number is a ``Figure``: its value, unit, what it is, and ``rows`` — the query string of the
rows page (kind, window, stations) that lists the observations it was computed from, so a
reviewer can click any number in the briefing and see where it came from.

Counting follows Fujian practice ("N个县（市、区）的M个站超过50毫米"): thresholds 25/50/100/250 mm,
counties counted when at least one of their gauges is over. Area rainfall is the arithmetic mean
of the gauges in the area (no Thiessen weights: the gauges' catchment areas are not known).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Max
from django.utils import timezone

from zhengwei.hydro import selectors as S
from zhengwei.hydro.models import RiverObservation
from zhengwei.lib import hydrostd

THRESHOLDS = hydrostd.BRIEFING_RAIN_THRESHOLDS


@dataclass
class Figure:
    key: str
    value: float | int | str
    unit: str = ""
    label: str = ""
    rows: str = ""  # query string of the rows page
    extra: dict = field(default_factory=dict)


def _rows(kind: str, start: datetime, end: datetime, stations=()) -> str:
    query = {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
    if stations:
        query["stcd"] = ",".join(sorted(stations))
    return urlencode(query)


def compute(start: datetime, end: datetime) -> dict:
    """All the numbers for the window (start, end]; a JSON-ready dict."""
    stations = S.stations_by_code()
    figures: list[Figure] = []
    add = figures.append

    # --- rain ---------------------------------------------------------------------------------
    totals = S.rain_totals(start, end)
    gauges = {s: t for s, t in totals.items() if s in stations}
    by_county: dict[str, list[float]] = defaultdict(list)
    county_name: dict[str, str] = {}
    for stcd, mm in gauges.items():
        region = stations[stcd].region
        if region is not None:
            by_county[region.adcd].append(mm)
            county_name[region.adcd] = region.name
    province_mean = round(sum(gauges.values()) / len(gauges), 1) if gauges else 0.0
    add(Figure("rain_area_province", province_mean, "mm", "全省面雨量", _rows("rain", start, end)))
    county_means = {c: round(sum(v) / len(v), 1) for c, v in by_county.items()}
    for threshold in THRESHOLDS:
        over = [s for s, mm in gauges.items() if mm > threshold]
        counties = {stations[s].region.adcd for s in over if stations[s].region}
        add(
            Figure(
                f"rain_over_{threshold}",
                len(over),
                "站",
                f"超过{threshold}毫米的雨量站",
                _rows("rain", start, end, over),
                {"counties": len(counties)},
            )
        )
    top = sorted(gauges.items(), key=lambda kv: -kv[1])[:10]
    if top:
        stcd, mm = top[0]
        add(
            Figure(
                "rain_max_point",
                round(mm, 1),
                "mm",
                "最大点雨量",
                _rows("rain", start, end, [stcd]),
                {"station": stations[stcd].name, "stcd": stcd, "county": _county(stations[stcd])},
            )
        )
    for hours in (1, 3):
        best = S.max_interval_rain(start, end, hours)
        if best and best[2] > 0:
            stcd, tm, mm = best
            add(
                Figure(
                    f"rain_max_{hours}h",
                    round(mm, 1),
                    "mm",
                    f"最大{hours}小时雨量",
                    _rows("rain", tm - timedelta(hours=hours), tm, [stcd]),
                    {"station": stations[stcd].name, "stcd": stcd, "tm": S.local_iso(tm)},
                )
            )

    # --- rivers -------------------------------------------------------------------------------
    peaks = _peaks(RiverObservation, "z", start, end)
    limits = S.limits_by_station(list(peaks))
    rivers_over = []
    for stcd, (tm, z) in peaks.items():
        status = hydrostd.station_status(z, limits.get(stcd, []), timezone.localtime(tm).date())
        if status.code in (hydrostd.OVER_WARNING, hydrostd.OVER_GUARANTEE):
            rivers_over.append(
                {
                    "stcd": stcd,
                    "station": stations[stcd].name if stcd in stations else stcd,
                    "river": stations[stcd].river if stcd in stations else "",
                    "peak": round(float(z), 2),
                    "tm": S.local_iso(tm),
                    "status": status.name,
                    "margin": status.margin,
                    "limit": status.limit,
                }
            )
    rivers_over.sort(key=lambda r: -(r["margin"] or 0))
    add(
        Figure(
            "rivers_over_warning",
            len(rivers_over),
            "站",
            "超警戒水位的江河站",
            _rows("river", start, end, [r["stcd"] for r in rivers_over]),
            {"stations": rivers_over, "rivers": len({r["river"] for r in rivers_over})},
        )
    )

    # --- reservoirs ---------------------------------------------------------------------------
    now = S.latest_levels(end, reservoirs=True, within=timedelta(hours=6))
    before = S.latest_levels(end - timedelta(hours=24), reservoirs=True, within=timedelta(hours=6))
    storage = sum(level.storage or 0 for level in now.values())
    capacity = sum(
        stations[s].normal_capacity or 0
        for s, level in now.items()
        if s in stations and level.storage is not None
    )
    change = storage - sum(
        (before[s].storage or 0) for s in now if s in before and before[s].storage is not None
    )
    reservoir_rows = _rows("reservoir", end - timedelta(hours=24), end, list(now))
    add(
        Figure(
            "reservoir_storage",
            round(storage / 100, 2),
            "亿立方米",
            "水库蓄水总量",
            reservoir_rows,
            {
                "percent": round(storage / capacity * 100) if capacity else None,
                "change": round(change / 100, 2),
                "count": len(now),
            },
        )
    )
    over_limit = [
        {
            "stcd": s,
            "station": stations[s].name if s in stations else s,
            "level": level.value,
            "margin": level.status.margin,
        }
        for s, level in now.items()
        if level.status.code == hydrostd.OVER_FLOOD_LIMIT
    ]
    add(
        Figure(
            "reservoirs_over_limit",
            len(over_limit),
            "座",
            "超汛限水位的水库",
            _rows("reservoir", end - timedelta(hours=6), end, [r["stcd"] for r in over_limit]),
            {"reservoirs": over_limit},
        )
    )

    # --- typhoon, warnings, responses ---------------------------------------------------------
    typhoons = S.typhoon_summaries(end)
    warnings = [{"text": str(w), "since": S.local_iso(w.issued_at)} for w in S.active_warnings(end)]
    responses = [
        {"text": str(r), "since": S.local_iso(r.started_at)} for r in S.active_responses(end)
    ]
    return {
        "start": S.local_iso(start),
        "end": S.local_iso(end),
        "figures": {f.key: asdict(f) for f in figures},
        "rain_top": [
            {
                "stcd": s,
                "station": stations[s].name,
                "mm": round(mm, 1),
                "county": _county(stations[s]),
            }
            for s, mm in top
        ],
        "county_rain": county_means,
        "county_names": county_name,
        "typhoons": typhoons,
        "warnings": warnings,
        "responses": responses,
    }


def _county(station) -> str:
    return station.region.name if station.region else ""


def _peaks(model, field_name: str, start: datetime, end: datetime) -> dict[str, tuple]:
    """Each station's highest value in the window and when it was reached."""
    highest = dict(
        model.objects.filter(tm__gt=start, tm__lte=end)
        .values("station_id")
        .annotate(m=Max(field_name))
        .values_list("station_id", "m")
    )
    peaks: dict[str, tuple] = {}
    rows = model.objects.filter(tm__gt=start, tm__lte=end, station_id__in=list(highest))
    for stcd, tm, value in rows.order_by("tm").values_list("station_id", "tm", field_name):
        if value == highest[stcd] and stcd not in peaks:
            peaks[stcd] = (tm, value)
    return peaks


def default_window(end: datetime | None = None) -> tuple[datetime, datetime]:
    """The last complete 06:00–06:00 day (Beijing time) up to the newest data."""
    end = timezone.localtime(end or S.as_of())
    cut = end.replace(hour=6, minute=0, second=0, microsecond=0)
    if cut > end:
        cut -= timedelta(days=1)
    return cut - timedelta(days=1), cut
