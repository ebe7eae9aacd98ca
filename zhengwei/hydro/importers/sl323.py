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

import functools
import operator
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
        self.moments: dict[str, str] = {}
        self._references: dict[tuple, dict[str, float | None]] = {}

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
        _check_level(self.stations[stcd][1], level, what)

    def moment(self, text: str) -> str:
        """An observation's time as stored (ISO 8601 with its offset), read once per file:
        a file repeats each time once per station."""
        iso = self.moments.get(text)
        if iso is None:
            iso = self.moments[text] = _time(text, self.now).isoformat()
        return iso

    def references(self, types: tuple[str, ...]) -> dict[str, float | None]:
        """The reference level of every station of ``types`` (any type when empty), by code."""
        if types not in self._references:
            self._references[types] = {
                stcd: reference
                for stcd, (sttp, reference) in self.stations.items()
                if not types or sttp in types
            }
        return self._references[types]


def _check_level(reference: float | None, level: Decimal, what: str) -> None:
    if reference is not None and abs(float(level) - reference) > MAX_LEVEL_OFFSET_M:
        raise ValueError(
            f"{what} {level} m is {abs(float(level) - reference):.1f} m away from the "
            f"station's reference level {reference} m (wrong datum or unit?)"
        )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


ONE_HOUR = Decimal("1")
# Observation rows come out as text, as the database reads them (COPY takes it as it is). Their
# values are checked apart from station and time, each combination once (with the station's
# reference level, which the level checks need): a province's rain file is mostly 0.0, and its
# intervals are all 1.
VALUES_SEEN = 65536


@functools.lru_cache(maxsize=VALUES_SEEN)
def _rain_values(_reference, texts: tuple) -> tuple:
    drp_text, intv_text, dyp_text = texts
    drp = _decimal(drp_text, "rain DRP")
    intv = _decimal(intv_text, "interval INTV", required=False)
    intv = ONE_HOUR if intv is None else intv
    dyp = _decimal(dyp_text, "daily rain DYP", required=False)
    if drp < 0 or (dyp is not None and dyp < 0):
        raise ValueError(f"negative rain {drp}")
    if intv <= 0:
        raise ValueError(f"interval INTV must be positive, got {intv}")
    if drp > (MAX_HOURLY_RAIN if intv <= 1 else MAX_RAIN):
        raise ValueError(f"impossible rain {drp} mm in {intv} h")
    return (str(drp), str(intv), _text(dyp))


def _trend(text: str | None) -> str:
    value = (text or "").strip()
    if value and value not in {"4", "5", "6"}:
        raise ValueError(f"trend must be 4, 5 or 6, got {value!r}")
    return value


@functools.lru_cache(maxsize=VALUES_SEEN)
def _river_values(reference, texts: tuple) -> tuple:
    z_text, q_text, wptn_text = texts
    z = _decimal(z_text, "level Z")
    _check_level(reference, z, "level")
    q = _decimal(q_text, "discharge Q", required=False)
    if q is not None and q < 0:
        raise ValueError(f"negative discharge {q}")
    return (str(z), _text(q), _trend(wptn_text))


@functools.lru_cache(maxsize=VALUES_SEEN)
def _reservoir_values(reference, texts: tuple) -> tuple:
    rz_text, inq_text, otq_text, w_text, rwptn_text = texts
    rz = _decimal(rz_text, "level RZ")
    _check_level(reference, rz, "level")
    inq = _decimal(inq_text, "inflow INQ", required=False)
    otq = _decimal(otq_text, "outflow OTQ", required=False)
    w = _decimal(w_text, "storage W", required=False)
    if otq is not None and otq < 0:
        raise ValueError(f"negative outflow {otq}")
    if w is not None and w < 0:
        raise ValueError(f"negative storage {w}")
    return (str(rz), _text(inq), _text(otq), _text(w), _trend(rwptn_text))


# Per observation table: its columns (station and time first, then what the value check takes),
# the station types it may name, and the value check.
OBSERVED = {
    ImportKind.RAIN: (("STCD", "TM", "DRP", "INTV", "DYP"), (), _rain_values),
    ImportKind.RIVER: (("STCD", "TM", "Z", "Q", "WPTN"), RIVER_TYPES, _river_values),
    ImportKind.RESERVOIR: (
        ("STCD", "TM", "RZ", "INQ", "OTQ", "W", "RWPTN"),
        (StationType.RESERVOIR,),
        _reservoir_values,
    ),
}


CHUNK = 10000


def _observations(kind: str, records, ctx: Context, parsed: Parsed, *, names=None):
    """Check observation ``records`` ((line, cells, raw)) lazily, yielding the rows taken in
    chunks (the store writes one while the next is read) and adding the rejected ones to
    ``parsed``: the station (known, of a type the table takes), the time, the values, and each
    (station, time) once. Cells are in OBSERVED's column order, or, given the file's column
    ``names``, in the file's (then a line of another width is rejected). The loop every row of a
    feed goes through: the common case is a few dictionary lookups, and the checks that say why
    run when those miss."""
    columns, types, values = OBSERVED[kind]
    width = len(names) if names else len(columns)
    # A column the table lacks reads as the empty cell added at the end of every line.
    at = [names.index(c) if c in names else width for c in columns] if names else None
    pick = operator.itemgetter(*at) if at else tuple
    short = width in (at or ())
    allowed = ctx.references(types)
    moments, moment, station = ctx.moments, ctx.moment, ctx.station
    rejects, seen, rows = parsed.rejects, {}, []
    for line, cells, raw in records:
        parsed.read += 1
        if len(cells) != width:
            unreadable = len(cells) == 1 and cells[0].startswith("\x00")
            why = "unreadable CSV line" if unreadable else f"{len(cells)} instead of {width}"
            rejects.append(Reject(line, f"wrong number of columns ({why})", raw))
            continue
        if short:
            cells.append("")
        cells = pick(cells)
        stcd, when = cells[0], cells[1]
        try:
            reference = allowed.get(stcd, _UNKNOWN)
            if reference is _UNKNOWN:
                station(stcd, *types)  # says why it is not one of them
            tm = moments.get(when) or moment(when)
            row = (stcd, tm, *values(reference, cells[2:]))
        except ValueError as exc:
            rejects.append(Reject(line, str(exc), raw))
            continue
        first = seen.setdefault((stcd, tm), line)
        if first != line:
            rejects.append(Reject(line, f"duplicate of line {first}", raw))
            continue
        rows.append(row)
        if len(rows) == CHUNK:
            yield rows
            rows = []
    if rows:
        yield rows


_UNKNOWN = object()


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
    ImportKind.RIVER_LIMITS: _river_limits,
    ImportKind.RESERVOIR_LIMITS: _reservoir_limits,
}


def _key(kind: str, row) -> tuple:
    """What may appear only once in a file: SL 323's primary key of the table."""
    if kind == ImportKind.STATIONS:
        return (row["stcd"],)
    return (row["stcd"], row["season"][0])


def parse_records(
    kind: str, records: Iterable[tuple[int, dict, str]], ctx: Context, parsed: Parsed
) -> Parsed:
    """Check ``records`` ((line, {COLUMN: value}, raw)) of one table into ``parsed``."""
    if kind in OBSERVED:
        columns = OBSERVED[kind][0]
        cells = ((line, [cell.get(c) or "" for c in columns], raw) for line, cell, raw in records)
        parsed.chunks = _observations(kind, cells, ctx, parsed)
        return parsed
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
    width = len(names)
    parsed = Parsed(kind=found)
    if found in OBSERVED:
        parsed.expected = text.count("\n") + 1 - header_line
        parsed.chunks = _observations(found, rows, ctx, parsed, names=names)
        return parsed

    def records():
        for line, cells, raw in rows:
            if len(cells) == width:
                yield line, dict(zip(names, cells)), raw  # noqa: B905  (lengths just checked)
                continue
            parsed.read += 1
            unreadable = len(cells) == 1 and cells[0].startswith("\x00")
            why = "unreadable CSV line" if unreadable else f"{len(cells)} instead of {width}"
            parsed.rejects.append(Reject(line, f"wrong number of columns ({why})", raw))

    return parse_records(found, records(), ctx, parsed)
