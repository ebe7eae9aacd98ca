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

# --------------------------------------------------------------------------- rainfall grades
# (lower bound in mm, code, Chinese name); the first row is everything below 0.1 mm.
RAIN_GRADES_24H = (
    (Decimal("0.1"), "light", "小雨"),
    (Decimal("10.0"), "moderate", "中雨"),
    (Decimal("25.0"), "heavy", "大雨"),
    (Decimal("50.0"), "rainstorm", "暴雨"),
    (Decimal("100.0"), "heavy_rainstorm", "大暴雨"),
    (Decimal("250.0"), "extreme_rainstorm", "特大暴雨"),
)
RAIN_GRADES_12H = (
    (Decimal("0.1"), "light", "小雨"),
    (Decimal("5.0"), "moderate", "中雨"),
    (Decimal("15.0"), "heavy", "大雨"),
    (Decimal("30.0"), "rainstorm", "暴雨"),
    (Decimal("70.0"), "heavy_rainstorm", "大暴雨"),
    (Decimal("140.0"), "extreme_rainstorm", "特大暴雨"),
)
TRACE = ("trace", "微量降雨（零星小雨）")
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
    grade = Grade(*TRACE)
    for lower, code, name in table:
        if value >= lower:
            grade = Grade(code, name)
    return grade


# ------------------------------------------------------------------------ typhoon grades
# (lower bound m/s, code, Chinese name, CMA best-track grade code)
TYPHOON_GRADES = (
    (Decimal("10.8"), "TD", "热带低压", 1),
    (Decimal("17.2"), "TS", "热带风暴", 2),
    (Decimal("24.5"), "STS", "强热带风暴", 3),
    (Decimal("32.7"), "TY", "台风", 4),
    (Decimal("41.5"), "STY", "强台风", 5),
    (Decimal("51.0"), "SuperTY", "超强台风", 6),
)
WEAK = ("WEAK", "弱于热带低压")
EXTRATROPICAL = ("ET", "变性温带气旋")
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
# Chinese grade names as 温州台风网-style feeds write them, to the grade code.
GRADE_BY_NAME = {name: grade for grade, name in GRADE_NAMES.items()} | {
    "热带扰动": "WEAK",
    "温带气旋": "ET",
    "超强台风级": "SuperTY",
}


def typhoon_grade(wind_ms) -> Grade:
    """The GB/T 19201-2006 grade of a tropical cyclone with this 2-min mean maximum wind."""
    if wind_ms is None:
        raise ValueError("no wind speed")
    value = _tenth(wind_ms)
    if value < 0:
        raise ValueError("wind speed cannot be negative")
    grade = Grade(*WEAK)
    for lower, code, name, _cma in TYPHOON_GRADES:
        if value >= lower:
            grade = Grade(code, name)
    return grade


def cma_grade(code: int) -> Grade:
    """The grade a CMA best-track record's grade digit stands for (0–6, 9)."""
    try:
        return Grade(*CMA_CODES[int(code)])
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
    return "17级以上" if force >= 18 else f"{force}级"


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
    NORMAL: "正常",
    OVER_WARNING: "超警戒",
    OVER_GUARANTEE: "超保证",
    OVER_FLOOD_LIMIT: "超汛限",
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
        return Status(NORMAL, STATUS_NAMES[NORMAL])
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
                code, STATUS_NAMES[code], kind, limit.value, round(level - limit.value, 2)
            )
    return Status(NORMAL, STATUS_NAMES[NORMAL])


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
