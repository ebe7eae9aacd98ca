"""SL 323 real-time rain and water tables, as CSV exports or rows pulled from a database.

Tables: ST_STBPRP_B (stations), ST_PPTN_R (rain), ST_RIVER_R (river levels), ST_RSVR_R
(reservoirs), ST_RVFCCH_B (河道站防洪指标: warning and guaranteed levels) and ST_RSVRFSR_B
(库(湖)站汛限水位: flood-season limit per MMDD season). Column names are SL 323's identifiers in any letter case; extra columns (MPCD, LMT and
the like in provincial variants) are ignored. Times are Beijing time, as SL 323 databases hold them.

Checks, each a rejected row with its line: a missing or unreadable value, an impossible one
(negative rain, more rain in an hour than ever recorded, a water level tens of metres away from the
station's own thresholds, coordinates outside China), a station code not in the station table, a
time in the future, the same station and time twice in one file.

The two index tables have no validity dates of their own; a row's MODITIME (when the index was last
changed) is taken as the day it is valid from, and the one it replaces is closed on that day
(``store.upsert_thresholds``), so past levels are still judged against the index of their time.
A row without MODITIME is valid from the start. Their checks: a station of the wrong type, a
guaranteed level below the warning level, a level tens of metres from the station's current one, a
season that is not MMDD.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from zhengwei.hydro.importers.common import FileRefused, Parsed, Reject, csv_rows, parse_time
from zhengwei.hydro.models import ImportKind, StationType, ThresholdKind

# The columns that identify each table (a header must carry them all).
SIGNATURES = {
    ImportKind.STATIONS: ("STCD", "STNM", "STTP"),
    ImportKind.RAIN: ("STCD", "TM", "DRP"),
    ImportKind.RIVER: ("STCD", "TM", "Z"),
    ImportKind.RESERVOIR: ("STCD", "TM", "RZ"),
    ImportKind.RIVER_LIMITS: ("STCD", "WRZ"),
    ImportKind.RESERVOIR_LIMITS: ("STCD", "BGMD", "FSLTDZ"),
}
THRESHOLD_KINDS = (ImportKind.RIVER_LIMITS, ImportKind.RESERVOIR_LIMITS)
OBSERVATION_KINDS = (ImportKind.RAIN, ImportKind.RIVER, ImportKind.RESERVOIR)
# Rain in one hour beyond this is taken for a keying or unit error (the world record is ~305 mm).
MAX_HOURLY_RAIN = Decimal("400")
MAX_RAIN = Decimal("2000")
# A level this far from the station's own warning/limit level is an error (wrong datum, a
# missing decimal point), not a flood.
MAX_LEVEL_OFFSET_M = 50.0
FUTURE_SLACK = timedelta(hours=2)
CHINA_BOX = (73.0, 3.0, 136.0, 54.0)
RIVER_TYPES = (
    StationType.RIVER_LEVEL,
    StationType.RIVER_FLOW,
    StationType.SLUICE,
    StationType.TIDE,
)


def detect(header: list[str]) -> str | None:
    names = {h.strip().upper() for h in header}
    # Observations first: a station table has no TM.
    for kind in (*OBSERVATION_KINDS, ImportKind.STATIONS, *THRESHOLD_KINDS):
        if all(col in names for col in SIGNATURES[kind]):
            return kind
    return None


def _decimal(text: str | None, what: str, *, required: bool = True) -> Decimal | None:
    # Called three times a row on files of millions of rows: cells arrive stripped (csv_rows,
    # sourcedb), so the common case is one Decimal() and one check.
    if not text:
        if required:
            raise ValueError(f"{what} is missing")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"{what} is not a number: {text!r}")
    return value


def _time(text: str, now: datetime) -> datetime:
    when = parse_time(text)
    if when > now + FUTURE_SLACK:
        raise ValueError(f"time {text} is in the future")
    return when


class Context:
    """What the checks need to know about stations: type and reference level, by code."""

    def __init__(self, stations: dict[str, tuple[str, float | None]], now: datetime | None = None):
        self.stations = stations
        self.now = now or timezone.now()

    def station(self, stcd: str, *types: str) -> str:
        if not stcd:
            raise ValueError("station code (STCD) is missing")
        known = self.stations.get(stcd)
        if known is None:
            raise ValueError(f"unknown station {stcd}")
        if types and known[0] not in types:
            raise ValueError(f"station {stcd} is of type {known[0]}, not {'/'.join(types)}")
        return stcd

    def check_level(self, stcd: str, level: Decimal, what: str) -> None:
        reference = self.stations[stcd][1]
        if reference is not None and abs(float(level) - reference) > MAX_LEVEL_OFFSET_M:
            raise ValueError(
                f"{what} {level} m is {abs(float(level) - reference):.1f} m away from the "
                f"station's reference level {reference} m (wrong datum or unit?)"
            )


ONE_HOUR = Decimal("1")


def _rain(cell: dict, ctx: Context) -> tuple:
    stcd = ctx.station(cell.get("STCD", ""))
    tm = _time(cell.get("TM", ""), ctx.now)
    drp = _decimal(cell.get("DRP"), "rain DRP")
    intv = _decimal(cell.get("INTV"), "interval INTV", required=False) or ONE_HOUR
    dyp = _decimal(cell.get("DYP"), "daily rain DYP", required=False)
    if drp < 0 or (dyp is not None and dyp < 0):
        raise ValueError(f"negative rain {drp}")
    if intv <= 0:
        raise ValueError(f"interval INTV must be positive, got {intv}")
    if drp > (MAX_HOURLY_RAIN if intv <= 1 else MAX_RAIN):
        raise ValueError(f"impossible rain {drp} mm in {intv} h")
    return (stcd, tm, drp, intv, dyp)


def _trend(text: str | None) -> str:
    value = (text or "").strip()
    if value and value not in {"4", "5", "6"}:
        raise ValueError(f"trend must be 4, 5 or 6, got {value!r}")
    return value


def _river(cell: dict, ctx: Context) -> tuple:
    stcd = ctx.station(cell.get("STCD", ""), *RIVER_TYPES)
    tm = _time(cell.get("TM", ""), ctx.now)
    z = _decimal(cell.get("Z"), "level Z")
    ctx.check_level(stcd, z, "level")
    q = _decimal(cell.get("Q"), "discharge Q", required=False)
    if q is not None and q < 0:
        raise ValueError(f"negative discharge {q}")
    return (stcd, tm, z, q, _trend(cell.get("WPTN")))


def _reservoir(cell: dict, ctx: Context) -> tuple:
    stcd = ctx.station(cell.get("STCD", ""), StationType.RESERVOIR)
    tm = _time(cell.get("TM", ""), ctx.now)
    rz = _decimal(cell.get("RZ"), "level RZ")
    ctx.check_level(stcd, rz, "level")
    inq = _decimal(cell.get("INQ"), "inflow INQ", required=False)
    otq = _decimal(cell.get("OTQ"), "outflow OTQ", required=False)
    w = _decimal(cell.get("W"), "storage W", required=False)
    if otq is not None and otq < 0:
        raise ValueError(f"negative outflow {otq}")
    if w is not None and w < 0:
        raise ValueError(f"negative storage {w}")
    return (stcd, tm, rz, inq, otq, w, _trend(cell.get("RWPTN")))


def _float(text, what):
    value = _decimal(text, what, required=False)
    return None if value is None else float(value)


def _station(cell: dict, ctx: Context) -> tuple:
    stcd = (cell.get("STCD") or "").strip()
    if not stcd or len(stcd) > 12:
        raise ValueError(f"station code {stcd!r} must be 1 to 12 characters")
    name = (cell.get("STNM") or "").strip()
    if not name:
        raise ValueError("station name STNM is missing")
    sttp = (cell.get("STTP") or "").strip().upper()
    if sttp not in StationType.values:
        raise ValueError(f"station type {sttp!r} is not one of {', '.join(StationType.values)}")
    lng, lat = _float(cell.get("LGTD"), "longitude"), _float(cell.get("LTTD"), "latitude")
    if (lng is None) != (lat is None):
        raise ValueError("longitude and latitude go together")
    if lng is not None and not (
        CHINA_BOX[0] <= lng <= CHINA_BOX[2] and CHINA_BOX[1] <= lat <= CHINA_BOX[3]
    ):
        raise ValueError(f"coordinates {lng}, {lat} are outside China")
    adcd = (cell.get("ADDVCD") or "").strip()
    if adcd and not (adcd.isdigit() and len(adcd) in (6, 9, 12)):
        raise ValueError(f"division code ADDVCD {adcd!r} must be 6, 9 or 12 digits")
    return {
        "stcd": stcd,
        "name": name[:60],
        "sttp": sttp,
        "river": (cell.get("RVNM") or "")[:60],
        "basin": (cell.get("BSNM") or cell.get("HNNM") or "")[:60],
        "adcd": adcd[:6],
        "lng": lng,
        "lat": lat,
        "location": (cell.get("STLC") or "")[:120],
        "datum_name": (cell.get("DTMNM") or "")[:30],
        "datum_elevation": _float(cell.get("DTMEL"), "datum elevation DTMEL"),
        "is_active": (cell.get("USFL") or "1").strip() not in {"0", "N", "n"},
    }


def _valid_from(cell: dict, ctx: Context):
    text = (cell.get("MODITIME") or "").strip()
    if not text:
        return None
    try:  # a day alone is common in hand-kept index tables
        day = datetime.strptime(text.replace("/", "-"), "%Y-%m-%d").date()
    except ValueError:
        return timezone.localtime(_time(text, ctx.now)).date()
    if day > timezone.localtime(ctx.now).date():
        raise ValueError(f"MODITIME {text} is in the future")
    return day


def _river_limits(cell: dict, ctx: Context) -> dict:
    stcd = ctx.station(cell.get("STCD", ""), *RIVER_TYPES)
    wrz = _decimal(cell.get("WRZ"), "warning level WRZ", required=False)
    grz = _decimal(cell.get("GRZ"), "guaranteed level GRZ", required=False)
    if wrz is None and grz is None:
        raise ValueError("neither a warning level WRZ nor a guaranteed level GRZ")
    if wrz is not None and grz is not None and grz < wrz:
        raise ValueError(f"guaranteed level GRZ {grz} m is below the warning level WRZ {wrz} m")
    for what, level in (("warning level", wrz), ("guaranteed level", grz)):
        if level is not None:
            ctx.check_level(stcd, level, what)
    levels = {ThresholdKind.WARNING: wrz, ThresholdKind.GUARANTEE: grz}
    return {
        "stcd": stcd,
        "valid_from": _valid_from(cell, ctx),
        "levels": {kind: float(v) for kind, v in levels.items() if v is not None},
        "season": ("", ""),
    }


def _mmdd(text: str | None, what: str) -> str:
    value = (text or "").strip().zfill(4) if (text or "").strip() else ""
    try:
        datetime.strptime(f"2000{value}", "%Y%m%d")  # a leap year, so 0229 is a day
    except ValueError:
        raise ValueError(f"{what} must be a month and day MMDD, got {text!r}") from None
    return value


def _reservoir_limits(cell: dict, ctx: Context) -> dict:
    stcd = ctx.station(cell.get("STCD", ""), StationType.RESERVOIR)
    begin = _mmdd(cell.get("BGMD"), "season begin BGMD")
    end = _mmdd(cell.get("EDMD"), "season end EDMD")
    level = _decimal(cell.get("FSLTDZ"), "flood-season limit FSLTDZ")
    ctx.check_level(stcd, level, "flood-season limit")
    return {
        "stcd": stcd,
        "valid_from": _valid_from(cell, ctx),
        "levels": {ThresholdKind.FLOOD_LIMIT: float(level)},
        "season": (begin, end),
    }


ROW_PARSERS = {
    ImportKind.STATIONS: _station,
    ImportKind.RAIN: _rain,
    ImportKind.RIVER: _river,
    ImportKind.RESERVOIR: _reservoir,
    ImportKind.RIVER_LIMITS: _river_limits,
    ImportKind.RESERVOIR_LIMITS: _reservoir_limits,
}


def _key(kind: str, row) -> tuple:
    """What may appear only once in a file: SL 323's primary key of the table."""
    if kind == ImportKind.STATIONS:
        return (row["stcd"],)
    if kind in THRESHOLD_KINDS:
        return (row["stcd"], row["season"][0])
    return (row[0], row[1])


def parse_records(
    kind: str, records: Iterable[tuple[int, dict, str]], ctx: Context, parsed: Parsed
) -> Parsed:
    """Check ``records`` ((line, {COLUMN: value}, raw)) of one table into ``parsed``."""
    row_of = ROW_PARSERS[kind]
    seen: dict = {}
    for line, cell, raw in records:
        parsed.read += 1
        try:
            row = row_of(cell, ctx)
        except ValueError as exc:
            parsed.rejects.append(Reject(line, str(exc), raw))
            continue
        key = _key(kind, row)
        if key in seen:
            parsed.rejects.append(Reject(line, f"duplicate of line {seen[key]}", raw))
            continue
        seen[key] = line
        parsed.rows.append(row)
    return parsed


def parse_csv(text: str, ctx: Context, *, kind: str | None = None) -> Parsed:
    rows = csv_rows(text)
    first = next(rows, None)
    if first is None:
        raise FileRefused("the file is empty")
    header_line, header, _raw = first
    found = detect(header)
    if found is None:
        raise FileRefused(
            "not an SL 323 table: the header must name STCD and TM with DRP, Z or RZ, "
            "STCD, STNM and STTP, STCD and WRZ, or STCD, BGMD and FSLTDZ",
            header_line,
        )
    if kind and found != kind:
        raise FileRefused(f"expected a {kind} table, found a {found} header", header_line)
    names = [h.strip().upper() for h in header]

    def records():
        for line, cells, raw in rows:
            if len(cells) == 1 and cells[0].startswith("\x00"):
                yield line, {}, raw
                continue
            if len(cells) != len(names):
                yield line, {"__width__": f"{len(cells)} instead of {len(names)}"}, raw
                continue
            yield line, dict(zip(names, cells, strict=True)), raw

    parsed = Parsed(kind=found)

    def checked():
        for line, cell, raw in records():
            if "__width__" in cell or not cell:
                parsed.read += 1
                why = cell.get("__width__", "unreadable CSV line")
                parsed.rejects.append(Reject(line, f"wrong number of columns ({why})", raw))
                continue
            yield line, cell, raw

    return parse_records(found, checked(), ctx, parsed)
