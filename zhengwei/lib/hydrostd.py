"""National standards for flood information, as pure functions (no database, no Django models).

* Rainfall grades, GB/T 28592-2012《降水量等级》: 24 h and 12 h windows (``rain_grade``).
* Tropical-cyclone grades, GB/T 19201-2006《热带气旋等级》: by the 2-min mean maximum wind near the
  centre, m/s (``typhoon_grade``); the CMA best-track grade codes 0–6 and 9 map onto them.
* Beaufort force from wind speed, GB/T 28591-2012《风力等级》 (``beaufort``).
* A station's status against its thresholds at one moment (``station_status``): 超保证 above the
  guaranteed level, 超警戒 above the warning level, 超汛限 for a reservoir above its flood-season
  limit (which depends on the season, MMDD ranges).
* The CMA 24 h and 48 h warning lines (警戒线) and whether a point lies inside them.

Boundaries follow the standards' tables: a value on a bound belongs to the higher grade
(10.0 mm in 24 h is 中雨, 17.2 m/s is 热带风暴). Values are compared after rounding to the
precision the standard states (0.1 mm, 0.1 m/s), so 9.96 mm counts as 10.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import pgettext_lazy

# --------------------------------------------------------------------------- rainfall grades
# (lower bound in mm, code, name); the first row is everything below 0.1 mm. Names are English
# msgids, rendered in the standard's Chinese terms (小雨 … 特大暴雨) by the catalogue.
_RAIN = {
    "Light rain": pgettext_lazy("rain grade", "Light rain"),
    "Moderate rain": pgettext_lazy("rain grade", "Moderate rain"),
    "Heavy rain": pgettext_lazy("rain grade", "Heavy rain"),
    "Rainstorm": pgettext_lazy("rain grade", "Rainstorm"),
    "Heavy rainstorm": pgettext_lazy("rain grade", "Heavy rainstorm"),
    "Extreme rainstorm": pgettext_lazy("rain grade", "Extreme rainstorm"),
}
RAIN_GRADES_24H = (
    (Decimal("0.1"), "light", _RAIN["Light rain"]),
    (Decimal("10.0"), "moderate", _RAIN["Moderate rain"]),
    (Decimal("25.0"), "heavy", _RAIN["Heavy rain"]),
    (Decimal("50.0"), "rainstorm", _RAIN["Rainstorm"]),
    (Decimal("100.0"), "heavy_rainstorm", _RAIN["Heavy rainstorm"]),
    (Decimal("250.0"), "extreme_rainstorm", _RAIN["Extreme rainstorm"]),
)
RAIN_GRADES_12H = (
    (Decimal("0.1"), "light", _RAIN["Light rain"]),
    (Decimal("5.0"), "moderate", _RAIN["Moderate rain"]),
    (Decimal("15.0"), "heavy", _RAIN["Heavy rain"]),
    (Decimal("30.0"), "rainstorm", _RAIN["Rainstorm"]),
    (Decimal("70.0"), "heavy_rainstorm", _RAIN["Heavy rainstorm"]),
    (Decimal("140.0"), "extreme_rainstorm", _RAIN["Extreme rainstorm"]),
)
TRACE = ("trace", pgettext_lazy("rain grade", "Trace"))
# The thresholds Fujian briefings count by ("N个县超过50毫米…"), mm in the window.
BRIEFING_RAIN_THRESHOLDS = (25, 50, 100, 250)


@dataclass(frozen=True)
class Grade:
    code: str
    name: str


def _tenth(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rain_grade(mm, hours: int = 24) -> Grade:
    """The GB/T 28592-2012 grade of ``mm`` fallen in a 24 h or 12 h window."""
    if hours not in (12, 24):
        raise ValueError("GB/T 28592-2012 grades rainfall over 12 h or 24 h only")
    if mm is None:
        raise ValueError("no rainfall value")
    value = _tenth(mm)
    if value < 0:
        raise ValueError("rainfall cannot be negative")
    table = RAIN_GRADES_24H if hours == 24 else RAIN_GRADES_12H
    code, name = TRACE
    for lower, upper_code, upper_name in table:
        if value >= lower:
            code, name = upper_code, upper_name
    return Grade(code, str(name))


# ------------------------------------------------------------------------ typhoon grades
# (lower bound m/s, code, name, CMA best-track grade code); names as above (热带低压 … 超强台风).
TYPHOON_GRADES = (
    (Decimal("10.8"), "TD", pgettext_lazy("typhoon grade", "Tropical depression"), 1),
    (Decimal("17.2"), "TS", pgettext_lazy("typhoon grade", "Tropical storm"), 2),
    (Decimal("24.5"), "STS", pgettext_lazy("typhoon grade", "Severe tropical storm"), 3),
    (Decimal("32.7"), "TY", pgettext_lazy("typhoon grade", "Typhoon"), 4),
    (Decimal("41.5"), "STY", pgettext_lazy("typhoon grade", "Severe typhoon"), 5),
    (Decimal("51.0"), "SuperTY", pgettext_lazy("typhoon grade", "Super typhoon"), 6),
)
WEAK = ("WEAK", pgettext_lazy("typhoon grade", "Weaker than a tropical depression"))
EXTRATROPICAL = ("ET", pgettext_lazy("typhoon grade", "Extratropical transition"))
CMA_CODES = {code: (grade, name) for _, grade, name, code in TYPHOON_GRADES}
CMA_CODES[0] = WEAK
CMA_CODES[9] = EXTRATROPICAL
GRADE_NAMES = {grade: name for _, grade, name, _ in TYPHOON_GRADES} | dict([WEAK, EXTRATROPICAL])
# One colour per grade, shared by the live track map and the briefing's track chart.
GRADE_COLOURS = {
    "TD": "#2e9e44",
    "TS": "#1f6fd1",
    "STS": "#e6c000",
    "TY": "#f08c00",
    "STY": "#d6336c",
    "SuperTY": "#c00000",
}
# Grade names as 温州台风网-style feeds write them (data read, not text shown), to the grade code.
GRADE_BY_NAME = {
    "热带低压": "TD",
    "热带风暴": "TS",
    "强热带风暴": "STS",
    "台风": "TY",
    "强台风": "STY",
    "超强台风": "SuperTY",
    "超强台风级": "SuperTY",
    "弱于热带低压": "WEAK",
    "热带扰动": "WEAK",
    "变性温带气旋": "ET",
    "温带气旋": "ET",
}


def typhoon_grade(wind_ms) -> Grade:
    """The GB/T 19201-2006 grade of a tropical cyclone with this 2-min mean maximum wind."""
    if wind_ms is None:
        raise ValueError("no wind speed")
    value = _tenth(wind_ms)
    if value < 0:
        raise ValueError("wind speed cannot be negative")
    code, name = WEAK
    for lower, upper_code, upper_name, _cma in TYPHOON_GRADES:
        if value >= lower:
            code, name = upper_code, upper_name
    return Grade(code, str(name))


def cma_grade(code: int) -> Grade:
    """The grade a CMA best-track record's grade digit stands for (0–6, 9)."""
    try:
        grade, name = CMA_CODES[int(code)]
        return Grade(grade, str(name))
    except (KeyError, ValueError):
        raise ValueError(f"unknown CMA grade code {code!r}") from None


# Lower bounds (m/s) of Beaufort forces 0..17, GB/T 28591-2012.
_BEAUFORT = (
    0.0, 0.3, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7, 37.0, 41.5, 46.2,
    51.0, 56.1,
)  # fmt: skip
BEAUFORT_ABOVE_17 = 61.3


def beaufort(wind_ms) -> int:
    """The Beaufort force (风力 级) of a wind speed; 18 stands for 17级以上."""
    value = float(_tenth(wind_ms))
    if value < 0:
        raise ValueError("wind speed cannot be negative")
    if value >= BEAUFORT_ABOVE_17:
        return 18
    force = 0
    for level, lower in enumerate(_BEAUFORT):
        if value >= lower:
            force = level
    return force


def beaufort_label(force: int) -> str:
    if force >= 18:
        return str(pgettext_lazy("beaufort", "Above force 17"))
    return str(pgettext_lazy("beaufort", "Force %(force)s") % {"force": force})


# ------------------------------------------------------------------------- station status
@dataclass(frozen=True)
class Limit:
    """One threshold of a station: kind (WRZ 警戒, GRZ 保证, FSLTDZ 汛限), value in metres, the
    dates it is valid (``valid_to`` exclusive, None = open) and, for seasonal kinds, the MMDD
    range of the season (inclusive, may wrap over the new year)."""

    kind: str
    value: float
    valid_from: date | None = None
    valid_to: date | None = None
    season_begin: str = ""
    season_end: str = ""

    def applies(self, on: date) -> bool:
        if self.valid_from and on < self.valid_from:
            return False
        if self.valid_to and on >= self.valid_to:
            return False
        if self.season_begin and self.season_end:
            md = on.strftime("%m%d")
            if self.season_begin <= self.season_end:
                return self.season_begin <= md <= self.season_end
            return md >= self.season_begin or md <= self.season_end
        return True


NORMAL, OVER_WARNING, OVER_GUARANTEE, OVER_FLOOD_LIMIT = "normal", "warning", "guarantee", "limit"
STATUS_NAMES = {
    NORMAL: pgettext_lazy("station status", "Normal"),
    OVER_WARNING: pgettext_lazy("station status", "Over the warning level"),
    OVER_GUARANTEE: pgettext_lazy("station status", "Over the guaranteed level"),
    OVER_FLOOD_LIMIT: pgettext_lazy("station status", "Over the flood-season limit"),
}
STATUS_RANK = {NORMAL: 0, OVER_FLOOD_LIMIT: 1, OVER_WARNING: 2, OVER_GUARANTEE: 3}


@dataclass(frozen=True)
class Status:
    code: str
    name: str
    kind: str = ""  # the threshold exceeded (WRZ, GRZ, FSLTDZ)
    limit: float | None = None
    margin: float | None = None  # metres above the exceeded threshold

    @property
    def rank(self) -> int:
        return STATUS_RANK[self.code]


def limits_on(limits, on: date) -> dict[str, Limit]:
    """The thresholds in force on ``on``, one per kind (the latest-starting one wins)."""
    chosen: dict[str, Limit] = {}
    for limit in limits:
        if not limit.applies(on):
            continue
        current = chosen.get(limit.kind)
        if current is None or (limit.valid_from or date.min) >= (current.valid_from or date.min):
            chosen[limit.kind] = limit
    return chosen


def station_status(level, limits, on: date) -> Status:
    """Where ``level`` (m, the station's datum) stands against the thresholds valid on ``on``."""
    if level is None:
        return Status(NORMAL, str(STATUS_NAMES[NORMAL]))
    level = float(level)
    active = limits_on(limits, on)
    for kind, code in (
        ("GRZ", OVER_GUARANTEE),
        ("WRZ", OVER_WARNING),
        ("FSLTDZ", OVER_FLOOD_LIMIT),
    ):
        limit = active.get(kind)
        if limit is not None and level > limit.value:
            return Status(
                code, str(STATUS_NAMES[code]), kind, limit.value, round(level - limit.value, 2)
            )
    return Status(NORMAL, str(STATUS_NAMES[NORMAL]))


# --------------------------------------------------------------------------- warning lines
# CMA's 24 h and 48 h warning lines (lng, lat), from the reference notes, where they are marked
# "from memory, verify": not checked against an official text here — drawn for orientation only.
WARNING_LINE_24H = ((127, 34), (127, 22), (119, 18), (119, 11), (113, 4.5), (105, 0))
WARNING_LINE_48H = ((105, 0), (120, 0), (132, 15), (132, 34))


def _inside(lng: float, lat: float, line) -> bool:
    """Inside the area the line closes off towards the Chinese coast (north-west of it)."""
    # Close the polyline along the continent side with points far to the north-west.
    ring = list(line)
    if line[0][1] > line[-1][1]:  # 24 h line runs north → south
        ring += [(90, 0), (90, 45), (127, 45)]
    else:  # 48 h line runs south-west → north
        ring += [(132, 45), (90, 45), (90, 0)]
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def inside_24h_line(lng: float, lat: float) -> bool:
    return _inside(lng, lat, WARNING_LINE_24H)


def inside_48h_line(lng: float, lat: float) -> bool:
    return _inside(lng, lat, WARNING_LINE_48H)
