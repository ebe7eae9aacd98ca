"""The chat answers' text, made from the current snapshot (a dict): pure functions, so they can
be given inside WeChat's 5-second passive reply and tested without a database."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils.translation import gettext as _

from zhengwei.lib import hydrostd

TOP = 5
RAIN_NEAR_KM = 30
LEVEL_NEAR_KM = 50


def _when(data: dict) -> str:
    at = data.get("at") or ""
    try:
        return datetime.fromisoformat(at).strftime("%m-%d %H:%M")
    except ValueError:
        return "—"


def _km(lat1, lng1, lat2, lng2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _no_data() -> str:
    return _("No flood data has been received yet.")


def rain(data: dict, link: str) -> str:
    stations = data.get("stations", {})
    if not data.get("at"):
        return _no_data()
    top = [(stcd, mm) for stcd, mm in data.get("rain_top", [])[:TOP] if mm > 0]
    if not top:
        return _("【Rain】As of %(at)s no rain in the last 24 hours. Details: %(link)s") % {
            "at": _when(data),
            "link": link,
        }
    parts = [
        _("%(name)s %(mm)s mm (%(grade)s)")
        % {"name": stations.get(s, {}).get("n", s), "mm": mm, "grade": hydrostd.rain_grade(mm).name}
        for s, mm in top
    ]
    over50 = sum(1 for e in stations.values() if e.get("p24", 0) >= 50)
    return _(
        "【Rain】As of %(at)s, most rain in the last 24 hours: %(list)s. %(n)s gauges over 50 mm. "
        "Details: %(link)s"
    ) % {"at": _when(data), "list": "；".join(parts), "n": over50, "link": link}


def water(data: dict, link: str) -> str:
    if not data.get("at"):
        return _no_data()
    stations = data.get("stations", {})
    over = [stations[s] | {"stcd": s} for s in data.get("over", []) if s in stations]
    rivers = [e for e in over if e.get("s") in (hydrostd.OVER_WARNING, hydrostd.OVER_GUARANTEE)]
    reservoirs = [e for e in over if e.get("s") == hydrostd.OVER_FLOOD_LIMIT]
    if not over:
        return _(
            "【Water】As of %(at)s all rivers are below their warning levels and all reservoirs "
            "below their flood-season limits. Details: %(link)s"
        ) % {"at": _when(data), "link": link}
    listed = [
        _("%(name)s %(z)s m, %(status)s %(over)s m")
        % {
            "name": e["n"],
            "z": e["z"],
            "status": hydrostd.STATUS_NAMES[e["s"]],
            "over": e.get("over"),
        }
        for e in (rivers + reservoirs)[:TOP]
    ]
    return _(
        "【Water】As of %(at)s, %(rivers)s river stations over their warning level and "
        "%(reservoirs)s reservoirs over their flood-season limit: %(list)s. Details: %(link)s"
    ) % {
        "at": _when(data),
        "rivers": len(rivers),
        "reservoirs": len(reservoirs),
        "list": "；".join(listed),
        "link": link,
    }


def typhoon(data: dict, link: str) -> str:
    storms = data.get("typhoons", [])
    if not storms:
        return _("【Typhoon】No typhoon is affecting the province now. Tracks: %(link)s") % {
            "link": link
        }
    lines = []
    for t in storms:
        when = datetime.fromisoformat(t["tm"]).strftime("%m-%d %H:%M") if t.get("tm") else ""
        line = _("Typhoon %(name)s (%(en)s) at %(when)s: %(lat)s°N %(lng)s°E, %(grade)s") % {
            "name": t["name"],
            "en": t["en"],
            "when": when,
            "lat": t["lat"],
            "lng": t["lng"],
            "grade": t["grade"] or "—",
        }
        if t.get("force"):
            line += _(", winds near the centre %(force)s (%(wind)s m/s)") % {
                "force": t["force"],
                "wind": t["wind"],
            }
        if t.get("pressure"):
            line += _(", %(p)s hPa") % {"p": t["pressure"]}
        if t.get("in24"):
            line += _("; inside the 24-hour warning line")
        elif t.get("in48"):
            line += _("; inside the 48-hour warning line")
        lines.append(line)
    return _("【Typhoon】%(lines)s. Track: %(link)s") % {"lines": "。".join(lines), "link": link}


def _in_area(region: str, county: str) -> bool:
    """A warning for the province, the county's city or the county itself applies there."""
    if not region:
        return True
    if region.endswith("0000"):
        return True
    if region.endswith("00") and county.startswith(region[:4]):
        return True
    return region == county


def warnings(data: dict, link: str, county: str = "") -> str:
    items = [w for w in data.get("warnings", []) if not county or _in_area(w["r"], county)]
    responses = [r for r in data.get("responses", []) if not county or _in_area(r["r"], county)]
    if not items and not responses:
        return _("【Warnings】No warning or emergency response in force. Details: %(link)s") % {
            "link": link
        }
    parts = []
    if responses:
        parts.append(
            _("Emergency responses: %(list)s") % {"list": "、".join(r["text"] for r in responses)}
        )
    if items:
        parts.append(_("Warnings: %(list)s") % {"list": "、".join(w["text"] for w in items[:TOP])})
    return _("【Warnings】%(parts)s. Details: %(link)s") % {"parts": "；".join(parts), "link": link}


def location(
    data: dict, lat: float, lng: float, county_code: str, county_name: str, link: str
) -> str:
    """The nearest stations' rain and water levels, and the warnings and responses in force for
    the county of a shared location."""
    if not data.get("at"):
        return _no_data()
    near = []
    for stcd, e in data.get("stations", {}).items():
        near.append((_km(lat, lng, e["lat"], e["lng"]), stcd, e))
    near.sort()
    gauges = [(d, e) for d, _s, e in near if "p24" in e and d <= RAIN_NEAR_KM][:3]
    levels = [(d, e) for d, _s, e in near if "z" in e and d <= LEVEL_NEAR_KM][:2]
    lines = [
        _("Near %(place)s, as of %(at)s:")
        % {"place": county_name or _("your location"), "at": _when(data)}
    ]
    for d, e in gauges:
        lines.append(
            _("rain at %(name)s (%(km)s km): %(p24)s mm in 24 h, %(p1)s mm in the last hour")
            % {"name": e["n"], "km": round(d, 1), "p24": e["p24"], "p1": e.get("p1", 0)}
        )
    for d, e in levels:
        lines.append(
            _("level at %(name)s (%(km)s km): %(z)s m, %(status)s")
            % {
                "name": e["n"],
                "km": round(d, 1),
                "z": e["z"],
                "status": hydrostd.STATUS_NAMES.get(e.get("s", "normal"), ""),
            }
        )
    if not gauges and not levels:
        lines.append(_("no station within %(km)s km.") % {"km": LEVEL_NEAR_KM})
    lines.append(warnings(data, link, county=county_code).replace("【", "").replace("】", "："))
    lines.append(_("(Reporting a disaster? Go on: send photos and describe what happened.)"))
    return "\n".join(lines)


def area(data: dict, code: str, name: str, link: str) -> str:
    """A county's (or a city's) wettest gauges, its level stations and the warnings and
    responses in force there — the answer to a place name typed in chat."""
    if not data.get("at"):
        return _no_data()
    prefix = code[:4] if code.endswith("00") else code
    inside = [
        (s, e) for s, e in data.get("stations", {}).items() if e.get("r", "").startswith(prefix)
    ]
    gauges = sorted((e for _s, e in inside if "p24" in e), key=lambda e: -e["p24"])[:3]
    levels = sorted(
        (e for _s, e in inside if "z" in e),
        key=lambda e: (-hydrostd.STATUS_RANK.get(e.get("s", "normal"), 0), e["n"]),
    )[:3]
    lines = [_("%(place)s, as of %(at)s:") % {"place": name, "at": _when(data)}]
    for e in gauges:
        lines.append(
            _("rain at %(name)s: %(p24)s mm in 24 h (%(grade)s), %(p1)s mm in the last hour")
            % {
                "name": e["n"],
                "p24": e["p24"],
                "grade": hydrostd.rain_grade(e["p24"]).name,
                "p1": e.get("p1", 0),
            }
        )
    for e in levels:
        lines.append(
            _("level at %(name)s: %(z)s m, %(status)s")
            % {
                "name": e["n"],
                "z": e["z"],
                "status": hydrostd.STATUS_NAMES.get(e.get("s", "normal"), ""),
            }
        )
    if not gauges and not levels:
        lines.append(_("no station reports from here."))
    lines.append(warnings(data, link, county=code).replace("【", "").replace("】", "："))
    return "\n".join(lines)
