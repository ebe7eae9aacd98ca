"""What the live pages (汛情实况 menu) show, shaped for the phone: read from the current snapshot
(one row) and, for a typhoon, its track — a handful of indexed reads, no aggregation."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhengwei.hydro import selectors as S
from zhengwei.hydro.models import StationType, Typhoon
from zhengwei.hydro.services import snapshot
from zhengwei.lib import hydrostd

RESERVOIR = StationType.RESERVOIR
RIVER = {StationType.RIVER_LEVEL, StationType.RIVER_FLOW, StationType.SLUICE, StationType.TIDE}
TREND = {"4": "↓", "5": "↑", "6": "—"}


def _at(data: dict):
    return parse_datetime(data["at"]) if data.get("at") else None


def rain(limit: int = 50) -> dict:
    data = snapshot.current()
    stations = data.get("stations", {})
    rows = []
    for stcd, _mm in data.get("rain_top", [])[:limit]:
        entry = stations.get(stcd, {})
        rows.append(_rain_row(stcd, entry))
    everything = sorted(
        ((k, e) for k, e in stations.items() if "p24" in e), key=lambda kv: -kv[1]["p24"]
    )
    if len(rows) < limit:
        seen = {r["stcd"] for r in rows}
        rows += [_rain_row(k, e) for k, e in everything if k not in seen][: limit - len(rows)]
    return {"at": _at(data), "rows": rows, "count": len(everything)}


def _rain_row(stcd: str, entry: dict) -> dict:
    mm = entry.get("p24", 0.0)
    return {
        "stcd": stcd,
        "name": entry.get("n", stcd),
        "p24": mm,
        "p1": entry.get("p1", 0.0),
        "grade": hydrostd.rain_grade(mm).name,
    }


def water() -> dict:
    data = snapshot.current()
    rivers, reservoirs = [], []
    for stcd, e in data.get("stations", {}).items():
        if "z" not in e:
            continue
        row = {
            "stcd": stcd,
            "name": e["n"],
            "z": e["z"],
            "trend": TREND.get(e.get("trend", ""), ""),
            "status": hydrostd.STATUS_NAMES.get(e.get("s", "normal"), ""),
            "over": e.get("over"),
            "limit": e.get("limit"),
            "rank": hydrostd.STATUS_RANK.get(e.get("s", "normal"), 0),
            "w": e.get("w"),
        }
        (reservoirs if e["t"] == RESERVOIR else rivers).append(row)
    key = lambda r: (-r["rank"], -(r["over"] or 0), r["name"])  # noqa: E731
    return {
        "at": _at(data),
        "rivers": sorted(rivers, key=key),
        "reservoirs": sorted(reservoirs, key=key),
    }


def map_points() -> dict:
    """GeoJSON of the stations for the live maps (rain gauges and level stations)."""
    data = snapshot.current()
    features = []
    for stcd, e in data.get("stations", {}).items():
        props = {"stcd": stcd, "name": e["n"], "type": e["t"]}
        if "p24" in e:
            props |= {"p24": e["p24"], "grade": hydrostd.rain_grade(e["p24"]).name}
        if "z" in e:
            props |= {
                "z": e["z"],
                "status": hydrostd.STATUS_NAMES.get(e.get("s", "normal"), ""),
                "s": e.get("s", "normal"),
            }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [e["lng"], e["lat"]]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "at": data.get("at", ""), "features": features}


def current_typhoons() -> list[dict]:
    return snapshot.current().get("typhoons", [])


def _time(value) -> str:
    return timezone.localtime(value).strftime("%m-%d %H:%M")


def typhoon_track(typhoon: Typhoon, until=None) -> dict:
    """Observed path, each agency's latest forecast, wind radii at the last point, the warning
    lines — what the track page draws."""
    points = S.track(typhoon, until=until)
    observed = [
        {
            "tm": _time(p.tm),
            "lat": p.lat,
            "lng": p.lng,
            "grade": p.get_grade_display() if p.grade else "",
            "colour": hydrostd.GRADE_COLOURS.get(p.grade, "#777"),
            "wind": p.wind,
            "force": hydrostd.beaufort_label(hydrostd.beaufort(p.wind)) if p.wind else "",
            "pressure": p.pressure,
            "r7": p.r7,
            "r10": p.r10,
            "r12": p.r12,
        }
        for p in points
    ]
    forecasts = {
        agency: [
            {"tm": _time(f.tm), "lat": f.lat, "lng": f.lng, "grade": f.get_grade_display()}
            for f in path
        ]
        for agency, path in S.latest_forecasts(typhoon, until=until).items()
    }
    last_radii = next((p for p in reversed(observed) if p["r7"]), None)
    return {
        "tfid": typhoon.tfid,
        "name": typhoon.name_cn,
        "en": typhoon.name_en,
        "observed": observed,
        "forecasts": forecasts,
        "radii": last_radii,
        "landfalls": [
            {"tm": _time(lf.tm), "place": lf.place, "lat": lf.lat, "lng": lf.lng}
            for lf in typhoon.landfalls.all()
        ],
        "lines": {
            "24": [[lat, lng] for lng, lat in hydrostd.WARNING_LINE_24H],
            "48": [[lat, lng] for lng, lat in hydrostd.WARNING_LINE_48H],
        },
    }
