"""The July 2017 demo: Nesat (1709) and Haitang (1710) over Fujian, as SL 323 CSV files.

STATIONS AND OBSERVATIONS ARE SYNTHETIC. Real station codes, coordinates and readings are not
public; the gauges here sit at county centres (and at the towns the 2017 bulletins name), with
invented codes 9xxxxxxx. Their rain is shaped so that the window totals and maxima match what
福建省防汛办 reported (§3.2 of the reference notes):

* 30日6时–31日6时: maximum 永泰县云山村 172.4 mm; 1 h maximum 华安县丰山镇 83 mm;
  3 h maximum 永泰县嵩口镇 116.2 mm;
* 31日6时–8月1日6时: maximum 连江县下宫乡 507.7 mm, 长乐区江田镇 over 400 mm;
  1 h maximum 云霄县和平乡 100.6 mm; 2 h maximum 连江县下宫乡 150 mm.

River stations on the rivers reported over warning (九龙江, 尤溪, 敖江, 汀江, 交溪) have
invented thresholds and rise over them; the 南平 stations carry their real published warning and
guaranteed levels (2006 and 2022 reports, with validity periods) and stay below them.
Everything is generated deterministically (a seeded random number generator).
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from zhengwei.reports import geo

START = datetime(2017, 7, 28, 1)  # Beijing time, first hourly record
END = datetime(2017, 8, 1, 6)  # the demo's "now": the end of the second reported window
DAY1 = (datetime(2017, 7, 30, 6), datetime(2017, 7, 31, 6))
DAY2 = (datetime(2017, 7, 31, 6), datetime(2017, 8, 1, 6))


@dataclass
class Gauge:
    stcd: str
    name: str
    adcd: str
    lng: float
    lat: float
    sttp: str = "PP"
    river: str = ""
    location: str = ""


def _centre(area) -> tuple[float, float]:
    ring = max((poly[0] for poly in area.polygons), key=len)
    lng = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    if area.contains(lng, lat):
        return round(lng, 4), round(lat, 4)
    x0, y0, x1, y1 = area.bbox
    for fx in (0.5, 0.4, 0.6, 0.3, 0.7):
        for fy in (0.5, 0.4, 0.6, 0.3, 0.7):
            x, y = x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy
            if area.contains(x, y):
                return round(x, 4), round(y, 4)
    return round(lng, 4), round(lat, 4)


# The towns the bulletins name (approximate town positions), with their county.
NAMED = (
    ("90100001", "永泰云山", "350125", 118.72, 25.73),
    ("90100002", "永泰嵩口", "350125", 118.58, 25.80),
    ("90100003", "华安丰山", "350629", 117.60, 24.95),
    ("90100004", "连江下宫", "350122", 119.78, 26.33),
    ("90100005", "长乐江田", "350112", 119.63, 25.88),
    ("90100006", "云霄和平", "350622", 117.30, 24.05),
)

# River stations: code, name, river, county, lng, lat, warning, guaranteed, normal level, peak rise,
# real thresholds?
RIVERS = (
    ("90200001", "洋口", "富屯溪", "350721", 117.92, 26.83, 109.3, None, 104.2, 2.1, True),
    ("90200002", "建阳", "建溪", "350703", 118.12, 27.33, 131.0, None, 126.5, 2.3, True),
    ("90200003", "七里街", "建溪", "350783", 118.32, 27.03, None, 99.5, 90.5, 2.6, True),
    ("90200004", "光泽", "北溪", "350723", 117.33, 27.54, 228.5, None, 224.6, 1.9, True),
    ("90200005", "敖江（演示站）", "敖江", "350122", 119.55, 26.25, 8.5, 10.5, 5.2, 4.1, False),
    (
        "90200006",
        "尤溪口（演示站）",
        "尤溪",
        "350426",
        118.19,
        26.17,
        128.0,
        131.0,
        122.4,
        6.3,
        False,
    ),
    (
        "90200007",
        "浦南（演示站）",
        "九龙江北溪",
        "350602",
        117.70,
        24.62,
        12.0,
        14.5,
        8.1,
        4.6,
        False,
    ),
    ("90200008", "交溪（演示站）", "交溪", "350981", 119.60, 27.05, 9.0, 11.0, 5.6, 3.9, False),
    (
        "90200009",
        "汀江（演示站）",
        "汀江",
        "350821",
        116.36,
        25.83,
        290.0,
        293.0,
        286.0,
        4.5,
        False,
    ),
    ("90200010", "永泰（演示站）", "大樟溪", "350125", 118.93, 25.87, 19.5, 22.0, 15.8, 4.4, False),
)
# Older published values of the same 南平 stations (2006 report), valid until the newer value is
# first attested (18 June 2022); the real change dates are not known.
OLDER = {"90200001": 108.3, "90200002": 130.0, "90200003": 94.0}
NANPING_SOURCE = "http://m.dddjmc.com/news/fujian/fjjj/2022-06-19/2629381.html"
NANPING_2006 = "http://nakedoat.com/govweb/jrzg/2006-06/17/content_313342.htm"

RESERVOIRS = (
    # code, name, county, lng, lat, flood limit, normal level, start level, capacity (10⁶ m³)
    ("90300001", "山仔水库（演示站）", "350122", 119.27, 26.33, 63.0, 65.0, 61.8, 150.0),
    ("90300002", "街面水库（演示站）", "350426", 118.10, 26.10, 280.0, 284.0, 277.5, 1800.0),
    ("90300003", "东张水库（演示站）", "350181", 119.25, 25.68, 48.5, 50.0, 47.6, 200.0),
)


def gauges() -> list[Gauge]:
    result = [Gauge(stcd, name, adcd, lng, lat) for stcd, name, adcd, lng, lat in NAMED]
    for number, county in enumerate(geo.counties(), start=1):
        lng, lat = _centre(county)
        result.append(Gauge(f"9000{number:04d}", f"{county.name}城区", county.code, lng, lat))
    return result


def _hours():
    t = START
    while t <= END:
        yield t
        t += timedelta(hours=1)


def _profile(hours: list[datetime], peak: datetime, width: float) -> list[float]:
    return [math.exp(-((((h - peak).total_seconds() / 3600) / width) ** 2)) for h in hours]


def _scaled(weights: list[float], total: float) -> list[float]:
    s = sum(weights) or 1.0
    return [w * total / s for w in weights]


def _nearest_km(lng, lat, plng, plat) -> float:
    return geo.haversine_m(lng, lat, plng, plat) / 1000


# Where the rain centred (Nesat then Haitang), Beijing time.
# Weights tuned so the gauge counts come near the reported county counts (64 > 50 mm and 20 > 100 mm
# on 30–31 July, 56 > 100 mm and 11 > 250 mm on 31 July–1 August).
W1, W2, W3, W4 = 1.1, 0.7, 2.0, 1.3
# (time, lng, lat, weight): Nesat's landfall and inland track, then Haitang's landfall and the
# long rain behind it (the second window was by far the wetter one).
CENTRES = (
    (datetime(2017, 7, 30, 6), 119.5, 25.6, W1),
    (datetime(2017, 7, 30, 18), 118.2, 26.1, W2),
    (datetime(2017, 7, 31, 12), 119.3, 26.0, W3),
    (datetime(2017, 7, 31, 22), 118.0, 26.6, W4),
)


def rain_series(rng: random.Random) -> dict[str, list[float]]:
    """Hourly rain per gauge (mm, one decimal) from START to END."""
    hours = list(_hours())
    series: dict[str, list[float]] = {}
    for gauge in gauges():
        values = [0.0] * len(hours)
        for peak, plng, plat, weight in CENTRES:
            distance = _nearest_km(gauge.lng, gauge.lat, plng, plat)
            strength = weight * max(0.0, 1 - distance / 320) ** 1.6 * rng.uniform(6, 14)
            for i, w in enumerate(_profile(hours, peak, 7 + rng.uniform(-2, 2))):
                values[i] += strength * w * rng.uniform(0.6, 1.4)
        series[gauge.stcd] = values
    i1 = [i for i, h in enumerate(hours) if DAY1[0] < h <= DAY1[1]]
    i2 = [i for i, h in enumerate(hours) if DAY2[0] < h <= DAY2[1]]
    # Keep every other gauge under the reported maxima of each window.
    for values in series.values():
        for window, cap in ((i1, 150.0), (i2, 380.0)):
            total = sum(values[i] for i in window)
            if total > cap:
                for i in window:
                    values[i] *= cap / total * rng.uniform(0.7, 0.95)
            for i in window:
                values[i] = min(values[i], 70.0)
    _shape(series, "90100001", i1, 172.4, hours, peak_hours=4)  # 永泰云山
    _shape(series, "90100002", i1, 140.0, hours, burst=(3, 116.2))  # 永泰嵩口: 3 h max
    _shape(series, "90100003", i1, 120.0, hours, burst=(1, 83.0))  # 华安丰山: 1 h max
    _shape(series, "90100004", i2, 507.7, hours, burst=(2, 150.0))  # 连江下宫
    _shape(series, "90100005", i2, 421.3, hours, peak_hours=6)  # 长乐江田 (> 400, synthetic value)
    _shape(series, "90100006", i2, 230.0, hours, burst=(1, 100.6))  # 云霄和平: 1 h max
    return {k: [round(v, 1) for v in vals] for k, vals in series.items()}


def _shape(series, stcd, window, total, hours, *, burst=None, peak_hours=6):
    """Set ``stcd``'s rain in ``window`` to exactly ``total`` (to 0.1 mm), with an optional burst
    of ``burst[1]`` mm over ``burst[0]`` hours in the middle."""
    values = series[stcd]
    mid = window[len(window) // 2]
    for i in window:
        values[i] = 0.0
    rest = total
    if burst:
        n, amount = burst
        each = [round(amount / n, 1)] * n
        each[-1] = round(amount - sum(each[:-1]), 1)
        for k in range(n):
            values[mid + k] = each[k]
        rest -= amount
        others = [i for i in window if not mid <= i < mid + n]
    else:
        others = list(window)
    weights = [math.exp(-(((i - mid) / peak_hours) ** 2)) for i in others]
    spread = _scaled(weights, rest)
    # No other hour may beat the burst (the stated maxima must stay the maxima).
    cap = (burst[1] / burst[0] * 0.8) if burst else 70.0
    overflow = 0.0
    for i, v in zip(others, spread, strict=True):
        values[i] = min(v, cap)
        overflow += v - values[i]
    for i in sorted(others, key=lambda i: abs(i - mid)):
        if overflow <= 0:
            break
        room = cap - values[i]
        add = min(room, overflow)
        values[i] += add
        overflow -= add
    rounded = [round(values[i], 1) for i in window]
    drift = round(total - sum(rounded), 1)
    for i in window:
        values[i] = round(values[i], 1)
    # Put the rounding difference on the smallest non-burst hour.
    fix = min(others, key=lambda i: values[i] if values[i] > abs(drift) else 1e9)
    values[fix] = round(values[fix] + drift, 1)


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def stations_csv() -> str:
    rows = []
    for g in gauges():
        rows.append(
            [g.stcd, g.name, "", "", "", g.lng, g.lat, "", g.adcd, "", "", "PP", "1", "synthetic"]
        )
    for stcd, name, river, adcd, lng, lat, *_rest in RIVERS:
        rows.append(
            [
                stcd,
                name,
                river,
                "",
                "东南诸河",
                lng,
                lat,
                "",
                adcd,
                "85黄海",
                "0",
                "ZZ",
                "1",
                "synthetic",
            ]
        )
    for stcd, name, adcd, lng, lat, *_rest in RESERVOIRS:
        rows.append(
            [
                stcd,
                name,
                "",
                "",
                "东南诸河",
                lng,
                lat,
                "",
                adcd,
                "85黄海",
                "0",
                "RR",
                "1",
                "synthetic",
            ]
        )
    header = ["STCD", "STNM", "RVNM", "HNNM", "BSNM", "LGTD", "LTTD", "STLC", "ADDVCD", "DTMNM",
              "DTMEL", "STTP", "USFL", "COMMENTS"]  # fmt: skip
    return _csv(header, rows)


def _tm(h: datetime) -> str:
    return h.strftime("%Y-%m-%d %H:%M:%S")


def rain_csv(rng: random.Random) -> str:
    hours = list(_hours())
    rows = []
    for stcd, values in rain_series(rng).items():
        for h, v in zip(hours, values, strict=True):
            if v > 0:
                rows.append([stcd, _tm(h), f"{v:.1f}", "1.00", "", "", "7"])
    return _csv(["STCD", "TM", "DRP", "INTV", "PDR", "DYP", "WTH"], rows)


def river_csv(rng: random.Random) -> str:
    hours = list(_hours())
    rows = []
    for stcd, _name, _river, _adcd, lng, lat, wrz, grz, base, rise, real in RIVERS:
        near = min(CENTRES, key=lambda c: _nearest_km(lng, lat, c[1], c[2]))
        peak = near[0] + timedelta(hours=10 + rng.randint(0, 8))
        limits = [v for v in (wrz, grz, OLDER.get(stcd)) if v is not None]
        top = rise if not real else min(rise, min(limits) - base - 0.4)
        previous = None
        for h in hours:
            z = base + top * math.exp(-((((h - peak).total_seconds() / 3600) / 14) ** 2))
            z = round(z + rng.uniform(-0.02, 0.02), 2)
            trend = (
                "" if previous is None else ("5" if z > previous else "4" if z < previous else "6")
            )
            flow = round(80 + (z - base) * 420, 1)
            rows.append([stcd, _tm(h), f"{z:.2f}", f"{flow:.1f}", trend])
            previous = z
    return _csv(["STCD", "TM", "Z", "Q", "WPTN"], rows)


def reservoir_csv(rng: random.Random) -> str:
    hours = list(_hours())
    rows = []
    for stcd, _name, _adcd, lng, lat, limit, normal, start, capacity in RESERVOIRS:
        near = min(CENTRES, key=lambda c: _nearest_km(lng, lat, c[1], c[2]))
        peak = near[0] + timedelta(hours=14)
        rise = (limit - start) + rng.uniform(0.3, 0.9)
        previous = None
        for h in hours:
            rz = start + rise / (1 + math.exp(-((h - peak).total_seconds() / 3600) / 5))
            rz = round(rz, 2)
            w = round(capacity * (0.6 + 0.4 * (rz - start) / (normal - start)), 1)
            trend = (
                ""
                if previous is None
                else ("5" if rz > previous else "4" if rz < previous else "6")
            )
            rows.append([stcd, _tm(h), f"{rz:.2f}", f"{w:.1f}", trend])
            previous = rz
    return _csv(["STCD", "TM", "RZ", "W", "RWPTN"], rows)


def thresholds() -> list[dict]:
    """Threshold rows (kind, value, validity, source) for the demo stations."""
    result = []
    for stcd, _name, _river, _adcd, _lng, _lat, wrz, grz, _base, _rise, real in RIVERS:
        source = NANPING_SOURCE if real else "synthetic (demo)"
        changed = date(2022, 6, 18) if stcd in OLDER else None
        for kind, value in (("WRZ", wrz), ("GRZ", grz)):
            if value is None:
                continue
            result.append(
                {
                    "stcd": stcd,
                    "kind": kind,
                    "value": value,
                    "valid_from": changed,
                    "source": source,
                }
            )
        if stcd in OLDER:
            kind = "GRZ" if grz and not wrz else "WRZ"
            if stcd == "90200003":
                kind = "WRZ"  # the 2006 report gives 七里街's warning level
            result.append(
                {
                    "stcd": stcd,
                    "kind": kind,
                    "value": OLDER[stcd],
                    "valid_to": date(2022, 6, 18),
                    "source": NANPING_2006 + " (valid until the newer value is first attested)",
                }
            )
    for stcd, _name, _adcd, _lng, _lat, limit, _normal, _start, _cap in RESERVOIRS:
        result.append(
            {
                "stcd": stcd,
                "kind": "FSLTDZ",
                "value": limit,
                "season_begin": "0415",
                "season_end": "1015",
                "source": "synthetic (demo)",
            }
        )
    return result


def capacities() -> dict[str, float]:
    return {r[0]: r[8] for r in RESERVOIRS}


def files(seed: int = 1709) -> dict[str, str]:
    rng = random.Random(seed)
    return {
        "ST_STBPRP_B-demo.csv": stations_csv(),
        "ST_PPTN_R-2017-nesat-haitang.csv": rain_csv(rng),
        "ST_RIVER_R-2017-nesat-haitang.csv": river_csv(rng),
        "ST_RSVR_R-2017-nesat-haitang.csv": reservoir_csv(rng),
    }
