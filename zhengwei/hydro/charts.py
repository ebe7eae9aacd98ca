"""The briefing's images, rendered on the server for a WeChat article (PNG bytes).

matplotlib (Agg, no display) over an offline base map: the shipped Fujian county outlines
(zhengwei/reports/static/reports/fujian-counties.geojson) and the neighbouring provinces'
outlines; shapely merges the counties into the province outline. Chinese labels need a CJK font:
HYDRO_FONT, else Noto Sans CJK from the system (fonts-noto-cjk). No tiles, no network.
The boundaries are simplified and not a map of record (标准地图/审图号 rules apply to publishing).
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import segno  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Polygon as Patch  # noqa: E402
from shapely.geometry import Polygon, shape  # noqa: E402
from shapely.ops import unary_union  # noqa: E402

from zhengwei.lib import hydrostd  # noqa: E402
from zhengwei.reports import geo  # noqa: E402

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
RAIN_COLOURS = (
    (250, "#8b0000", "≥250"),
    (100, "#c000c0", "100–250"),
    (50, "#e00000", "50–100"),
    (25, "#ff8c00", "25–50"),
    (10, "#2e9e44", "10–25"),
    (0.1, "#a6d96a", "0.1–10"),
    (0, "#f2f2f2", "<0.1"),
)
DPI = 110


@lru_cache(maxsize=1)
def font() -> font_manager.FontProperties | None:
    paths = [settings.HYDRO_FONT] if settings.HYDRO_FONT else list(FONT_CANDIDATES)
    for path in paths:
        if path and Path(path).is_file():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    return None


def _style() -> None:
    prop = font()
    if prop is not None:
        plt.rcParams["font.family"] = prop.get_name()
    plt.rcParams["axes.unicode_minus"] = False


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


@lru_cache(maxsize=1)
def _province():
    polys = []
    for county in geo.counties():
        for poly in county.polygons:
            polys.append(Polygon(poly[0], poly[1:]).buffer(0))
    return unary_union(polys)


@lru_cache(maxsize=1)
def _neighbours():
    import json

    data = json.loads(geo.NEIGHBOURS.read_text(encoding="utf-8"))
    return [shape(f["geometry"]) for f in data["features"]]


def _outline(ax, geom, **style) -> None:
    geoms = getattr(geom, "geoms", [geom])
    for g in geoms:
        x, y = g.exterior.xy
        ax.plot(x, y, **style)


def _base(ax, *, counties_fill: dict[str, str] | None = None) -> None:
    ax.set_facecolor("#eaf2fb")
    for g in _neighbours():
        for part in getattr(g, "geoms", [g]):
            ax.add_patch(
                Patch(list(part.exterior.coords), facecolor="#f7f7f2", edgecolor="#b0b0b0", lw=0.5)
            )
    for county in geo.counties():
        colour = (counties_fill or {}).get(county.code, "#fbfcfe")
        for poly in county.polygons:
            ax.add_patch(Patch(poly[0], facecolor=colour, edgecolor="#8aa2bf", lw=0.3))
    _outline(ax, _province(), color="#334", lw=0.9)
    ax.set_aspect(1 / 0.9)  # about 1/cos(26°)
    ax.set_xticks([])
    ax.set_yticks([])


def _colour(mm: float) -> str:
    for lower, colour, _label in RAIN_COLOURS:
        if mm >= lower:
            return colour
    return RAIN_COLOURS[-1][1]


def _window_text(numbers: dict) -> str:
    s = datetime.fromisoformat(numbers["start"])
    e = datetime.fromisoformat(numbers["end"])
    return f"{s.month}月{s.day}日{s.hour}时—{e.month}月{e.day}日{e.hour}时"


def rain_map(numbers: dict, stations: dict) -> bytes:
    """Counties coloured by area rainfall, the ten wettest gauges labelled."""
    _style()
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    fills = {code: _colour(mm) for code, mm in numbers["county_rain"].items()}
    _base(ax, counties_fill=fills)
    for row in numbers["rain_top"][:10]:
        station = stations.get(row["stcd"])
        if station is None or station.lat is None:
            continue
        ax.plot(station.lng, station.lat, "o", color="#000", ms=3)
        ax.annotate(f"{row['station']} {row['mm']}", (station.lng, station.lat), fontsize=7,
                    xytext=(3, 3), textcoords="offset points")  # fmt: skip
    ax.set_xlim(115.7, 120.9)
    ax.set_ylim(23.4, 28.4)
    handles = [
        Patch([(0, 0)], facecolor=c, edgecolor="#888", label=lab) for _v, c, lab in RAIN_COLOURS
    ]
    ax.legend(handles=handles, title="毫米", loc="lower right", fontsize=7, title_fontsize=7)
    ax.set_title(f"{_window_text(numbers)} 福建省降雨量分布（县域平均）", fontsize=10)
    return _png(fig)


def rain_bars(numbers: dict) -> bytes:
    _style()
    top = numbers["rain_top"][:10]
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    names = [
        f"{r['county']}{r['station']}" if r["county"] not in r["station"] else r["station"]
        for r in top
    ]
    values = [r["mm"] for r in top]
    bars = ax.barh(names[::-1], values[::-1], color=[_colour(v) for v in values[::-1]])
    ax.bar_label(bars, fmt="%.1f", fontsize=7, padding=2)
    ax.set_xlabel("毫米")
    ax.set_title(f"{_window_text(numbers)} 雨量前十站", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def levels(series: dict[str, dict]) -> bytes:
    """Water level against the warning and guaranteed lines, one panel per station."""
    _style()
    count = max(1, len(series))
    fig, axes = plt.subplots(count, 1, figsize=(6.4, 2.2 * count), squeeze=False)
    for ax, (name, s) in zip(axes[:, 0], series.items(), strict=False):
        ax.plot(s["times"], s["levels"], color="#1f6fd1", lw=1.5, label="水位")
        if s.get("warning") is not None:
            ax.axhline(s["warning"], color="#ff8c00", ls="--", lw=1, label=f"警戒 {s['warning']}")
        if s.get("guarantee") is not None:
            ax.axhline(
                s["guarantee"], color="#c00000", ls="--", lw=1, label=f"保证 {s['guarantee']}"
            )
        ax.set_title(name, fontsize=9)
        ax.set_ylabel("米")
        ax.legend(fontsize=7, loc="upper left")
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return _png(fig)


def track(tracks: list[dict]) -> bytes:
    """Typhoon tracks by grade, forecasts dashed, the 24/48 h warning lines."""
    _style()
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    _base(ax)
    for line, colour, label in (
        (hydrostd.WARNING_LINE_24H, "#d00", _("24-hour warning line")),
        (hydrostd.WARNING_LINE_48H, "#d0a000", _("48-hour warning line")),
    ):
        xs, ys = zip(*line, strict=True)
        ax.plot(xs, ys, ls=":", color=colour, lw=1.2, label=label)
    lngs, lats = [], []
    for t in tracks:
        xs = [p["lng"] for p in t["observed"]]
        ys = [p["lat"] for p in t["observed"]]
        lngs += xs
        lats += ys
        ax.plot(xs, ys, color="#333", lw=1.2)
        for p in t["observed"]:
            ax.plot(p["lng"], p["lat"], "o", ms=5, color=hydrostd.GRADE_COLOURS.get(p["grade_code"], "#888"),
                    mec="#fff", mew=0.5)  # fmt: skip
        if xs:
            ax.annotate(
                f"{t['name']}",
                (xs[-1], ys[-1]),
                fontsize=9,
                xytext=(4, -10),
                textcoords="offset points",
            )
        for agency, path in t["forecasts"].items():
            fx = [xs[-1]] + [p["lng"] for p in path] if xs else [p["lng"] for p in path]
            fy = [ys[-1]] + [p["lat"] for p in path] if ys else [p["lat"] for p in path]
            ax.plot(
                fx,
                fy,
                ls="--",
                lw=1,
                color="#d6336c",
                label=_("%(agency)s forecast") % {"agency": agency},
            )
    if lngs:
        ax.set_xlim(min(min(lngs) - 2, 115.5), max(max(lngs) + 2, 122.5))
        ax.set_ylim(min(min(lats) - 1.5, 22.5), max(max(lats) + 1.5, 28.5))
    handles = [
        Patch([(0, 0)], facecolor=c, label=str(hydrostd.GRADE_NAMES[g]))
        for g, c in hydrostd.GRADE_COLOURS.items()
    ]
    first = ax.legend(handles=handles, loc="lower right", fontsize=7)
    ax.add_artist(first)
    ax.legend(loc="upper right", fontsize=7)
    ax.set_title(_("Typhoon track (solid: observed; dashed: forecast)"), fontsize=10)
    return _png(fig)


def qr(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()
