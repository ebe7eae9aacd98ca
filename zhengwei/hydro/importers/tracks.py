"""Typhoon tracks: CMA best-track text, IBTrACS v04 CSV and 温州台风网-style JSON.

Each parser returns ``Parsed`` whose rows are ``Storm`` objects (the typhoon, its observed points,
forecasts and landfalls). Times are stored in UTC: CMA best track and IBTrACS are UTC already,
the 温州台风网 feed is Beijing time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from zhengwei.hydro.importers.common import (
    BEIJING,
    FileRefused,
    Parsed,
    Reject,
    csv_rows,
    parse_time,
)
from zhengwei.hydro.models import ImportKind
from zhengwei.lib import hydrostd

KT_TO_MS = 0.514444


@dataclass
class Storm:
    tfid: str
    season: int
    name_cn: str = ""
    name_en: str = ""
    is_active: bool | None = None
    source: str = ""
    points: list[dict] = field(default_factory=list)
    forecasts: list[dict] = field(default_factory=list)
    landfalls: list[dict] = field(default_factory=list)


def _check_position(lat: float, lng: float) -> None:
    if not (-5 <= lat <= 60 and 90 <= lng <= 190):
        raise ValueError(f"position {lat}, {lng} is outside the western North Pacific")


def _grade_for(wind: float | None, fallback: str = "") -> str:
    if wind is not None:
        return hydrostd.typhoon_grade(wind).code
    return fallback


# ----------------------------------------------------------------------------- CMA BST
def parse_cma(text: str) -> Parsed:
    parsed = Parsed(kind=ImportKind.CMA_BST)
    storm: Storm | None = None
    remaining = 0
    for line, _cells, raw in csv_rows(text):
        parts = raw.split()
        if parts and parts[0] == "66666":
            if remaining:
                parsed.rejects.append(Reject(line, f"{remaining} data lines missing before", raw))
            if len(parts) < 8:
                raise FileRefused("CMA best-track header has fewer than 8 fields", line)
            intl, count = parts[1], parts[2]
            if not (intl.isdigit() and len(intl) == 4 and count.isdigit()):
                raise FileRefused("CMA best-track header: bad number fields", line)
            name = " ".join(parts[7:-1]) if len(parts) > 8 else parts[7]
            storm = Storm(tfid="", season=0, name_en=name.title(), source="cma_bst")
            storm.intl = intl  # type: ignore[attr-defined]
            parsed.rows.append(storm)
            remaining = int(count)
            continue
        if storm is None:
            raise FileRefused("not a CMA best-track file: no 66666 header before data", line)
        parsed.read += 1
        remaining -= 1
        try:
            if len(parts) < 6:
                raise ValueError("a data line needs time, grade, lat, lon, pressure and wind")
            when = datetime.strptime(parts[0], "%Y%m%d%H").replace(tzinfo=UTC)
            code = int(parts[1])
            lat, lng = int(parts[2]) / 10, int(parts[3]) / 10
            _check_position(lat, lng)
            pres, wind = float(parts[4]), float(parts[5])
            if not 850 <= pres <= 1030:
                raise ValueError(f"impossible pressure {pres} hPa")
            if wind < 0 or wind > 110:
                raise ValueError(f"impossible wind {wind} m/s")
        except ValueError as exc:
            parsed.rejects.append(Reject(line, str(exc), raw))
            continue
        if not storm.tfid:
            storm.season = when.year
            storm.tfid = f"{when.year}{storm.intl[2:]}"  # type: ignore[attr-defined]
        storm.points.append(
            {
                "tm": when,
                "lat": lat,
                "lng": lng,
                "grade": hydrostd.cma_grade(code).code if code in hydrostd.CMA_CODES else "",
                # WND 9 means "below 10 m/s", 0 means missing.
                "wind": None if wind == 0 else wind,
                "pressure": pres,
            }
        )
    parsed.rows = [s for s in parsed.rows if s.tfid]
    if not parsed.rows and parsed.read == 0:
        raise FileRefused("not a CMA best-track file: no 66666 header")
    return parsed


# ----------------------------------------------------------------------------- IBTrACS
def _num(text: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    return float(text)


def parse_ibtracs(text: str, known: dict[tuple[int, str], str] | None = None) -> Parsed:
    """West-Pacific rows of an IBTrACS v04 CSV (the units row is skipped); CMA's own values
    (CMA_WIND m/s 2-min, CMA_PRES, CMA_CAT) when present, else WMO's (10-min, knots → m/s).
    A storm is matched to a typhoon already known by season and English name, else keyed by SID."""
    parsed = Parsed(kind=ImportKind.IBTRACS)
    rows = csv_rows(text)
    first = next(rows, None)
    if first is None:
        raise FileRefused("the file is empty")
    names = [h.upper() for h in first[1]]
    if not {"SID", "SEASON", "BASIN", "NAME", "ISO_TIME", "LAT", "LON"} <= set(names):
        raise FileRefused("not an IBTrACS CSV: SID, SEASON, BASIN, NAME, ISO_TIME, LAT, LON", 1)
    storms: dict[str, Storm] = {}
    known = known or {}
    for line, cells, raw in rows:
        if len(cells) != len(names):
            parsed.read += 1
            parsed.rejects.append(
                Reject(line, f"{len(cells)} columns instead of {len(names)}", raw)
            )
            continue
        cell = dict(zip(names, cells, strict=True))
        if not cell["SEASON"].isdigit():  # the units row ("Year", " ", "degrees_north" …)
            continue
        if cell["BASIN"] != "WP":
            continue
        parsed.read += 1
        try:
            when = parse_time(cell["ISO_TIME"], tz=UTC)
            lat, lng = float(cell["LAT"]), float(cell["LON"])
            _check_position(lat, lng)
            wind = _num(cell.get("CMA_WIND", ""))
            pres = _num(cell.get("CMA_PRES", ""))
            code = _num(cell.get("CMA_CAT", ""))
            if wind is None and _num(cell.get("WMO_WIND", "")) is not None:
                wind = round(_num(cell["WMO_WIND"]) * KT_TO_MS, 1)
            if pres is None:
                pres = _num(cell.get("WMO_PRES", ""))
            if wind is not None and not 0 <= wind <= 110:
                raise ValueError(f"impossible wind {wind} m/s")
        except ValueError as exc:
            parsed.rejects.append(Reject(line, str(exc), raw))
            continue
        sid = cell["SID"]
        storm = storms.get(sid)
        if storm is None:
            season, name = int(cell["SEASON"]), cell["NAME"].title()
            tfid = known.get((season, name.upper()), sid)
            storm = storms[sid] = Storm(tfid=tfid, season=season, name_en=name, source="ibtracs")
        grade = ""
        if code is not None and int(code) in hydrostd.CMA_CODES:
            grade = hydrostd.cma_grade(int(code)).code
        storm.points.append(
            {
                "tm": when,
                "lat": lat,
                "lng": lng,
                "grade": grade or _grade_for(wind, "WEAK"),
                "wind": wind,
                "pressure": pres,
            }
        )
    parsed.rows = list(storms.values())
    return parsed


# ---------------------------------------------------------------- 温州台风网-style JSON
_JSONP = re.compile(r"^\s*[\w$.]+\s*\((.*)\)\s*;?\s*$", re.S)


def _bj(text: str) -> datetime:
    return parse_time(text, tz=BEIJING).astimezone(UTC)


def _radius(value) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    parts = text.split("|")
    if not all(p.strip().replace(".", "", 1).isdigit() for p in parts):
        raise ValueError(f"wind radius {text!r} is not km|km|km|km")
    return "|".join(p.strip() for p in parts)


def parse_zjwater(text: str) -> Parsed:
    parsed = Parsed(kind=ImportKind.ZJWATER)
    match = _JSONP.match(text)
    try:
        data = json.loads(match.group(1) if match else text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"not JSON: {exc.msg}", exc.lineno) from None
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "tfid" not in item or "points" not in item:
            raise FileRefused(f"typhoon {index} has no tfid or points")
        tfid = str(item["tfid"]).strip()
        if not (tfid.isdigit() and len(tfid) == 6):
            raise FileRefused(f"typhoon {index}: tfid {tfid!r} is not year + number")
        storm = Storm(
            tfid=tfid,
            season=int(tfid[:4]),
            name_cn=str(item.get("name") or "").strip(),
            name_en=str(item.get("enname") or "").strip().title(),
            is_active=str(item.get("isactive", "0")) == "1",
            source="zjwater",
        )
        parsed.rows.append(storm)
        for number, point in enumerate(item.get("points") or [], start=1):
            parsed.read += 1
            where = f"{tfid} point {number}"
            try:
                tm = _bj(point["time"])
                lat, lng = float(point["lat"]), float(point["lng"])
                _check_position(lat, lng)
                wind = _num(str(point.get("speed") or ""))
                pres = _num(str(point.get("pressure") or ""))
                grade = hydrostd.GRADE_BY_NAME.get(str(point.get("strong") or "").strip(), "")
                storm.points.append(
                    {
                        "tm": tm,
                        "lat": lat,
                        "lng": lng,
                        "grade": grade or _grade_for(wind),
                        "wind": wind,
                        "pressure": pres,
                        "move_dir": str(point.get("movedirection") or "")[:10],
                        "move_speed": _num(str(point.get("movespeed") or "")),
                        "r7": _radius(point.get("radius7")),
                        "r10": _radius(point.get("radius10")),
                        "r12": _radius(point.get("radius12")),
                        "source_url": str(point.get("source_url") or "")[:300],
                    }
                )
            except (KeyError, TypeError, ValueError) as exc:
                parsed.rejects.append(Reject(number, f"{where}: {exc}", json.dumps(point)[:500]))
                continue
            for forecast in point.get("forecast") or []:
                agency = str(forecast.get("tm") or "").strip()[:20]
                for fp in forecast.get("forecastpoints") or []:
                    try:
                        ftm = _bj(fp["time"])
                        if ftm <= tm:  # the first forecast point repeats the current position
                            continue
                        flat, flng = float(fp["lat"]), float(fp["lng"])
                        _check_position(flat, flng)
                        fwind = _num(str(fp.get("speed") or ""))
                        storm.forecasts.append(
                            {
                                "agency": agency,
                                "issued_at": tm,
                                "tm": ftm,
                                "lat": flat,
                                "lng": flng,
                                "grade": hydrostd.GRADE_BY_NAME.get(
                                    str(fp.get("strong") or "").strip(), _grade_for(fwind)
                                ),
                                "wind": fwind,
                                "pressure": _num(str(fp.get("pressure") or "")),
                            }
                        )
                    except (KeyError, TypeError, ValueError) as exc:
                        parsed.rejects.append(
                            Reject(
                                number, f"{where} forecast {agency}: {exc}", json.dumps(fp)[:500]
                            )
                        )
        for land in item.get("land") or []:
            if not isinstance(land, dict):
                continue
            try:
                when = land.get("land_time") or land.get("time")
                storm.landfalls.append(
                    {
                        "tm": _bj(when),
                        "place": str(land.get("land_address") or land.get("info") or "")[:60],
                        "lat": _num(str(land.get("lat") or "")),
                        "lng": _num(str(land.get("lng") or "")),
                        "wind": _num(str(land.get("speed") or "")),
                        "pressure": _num(str(land.get("pressure") or "")),
                        "grade": hydrostd.GRADE_BY_NAME.get(str(land.get("strength") or ""), ""),
                        "source_url": str(land.get("source_url") or "")[:300],
                    }
                )
            except (KeyError, TypeError, ValueError) as exc:
                parsed.rejects.append(Reject(0, f"{tfid} landfall: {exc}", json.dumps(land)[:500]))
        if isinstance(item.get("sources"), list):
            storm.sources = "\n".join(str(s) for s in item["sources"])  # type: ignore[attr-defined]
    return parsed
