"""The current picture, kept in one row (``Snapshot``) so that chat answers and live pages read
one indexed row: WeChat gives a passive reply 5 seconds, and the location answer's budget is
200 ms. Rebuilt after each import (event ``hydro.imported``) and by ``hydro_tick``.

Readers go through the shared cache first (Redis or the database cache, never process memory:
every web process must see the same picture). A rebuild puts the new picture there once it has
committed; readers only ``add`` on a miss, so a reader that read the row just before a rebuild
cannot overwrite the newer picture. The TTL bounds what an evicted or failed write could leave."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from zhengwei.hydro import selectors as S
from zhengwei.hydro.models import Snapshot, StationType
from zhengwei.lib import hydrostd

log = logging.getLogger("zhengwei.hydro.snapshot")
TOP = 10
CACHE_KEY = "hydro:snapshot"
CACHE_SECONDS = 60


def build(at: datetime | None = None) -> dict:
    at = at or S.as_of()
    stations = S.stations_by_code()
    rain24 = S.rain_totals(at - timedelta(hours=24), at)
    rain1 = S.rain_totals(at - timedelta(hours=1), at)
    rivers = S.latest_levels(at)
    reservoirs = S.latest_levels(at, reservoirs=True)
    per_station = {}
    for stcd, station in stations.items():
        if station.lat is None or not station.is_active:
            continue
        entry = {
            "n": station.name,
            "t": station.sttp,
            "lat": station.lat,
            "lng": station.lng,
            "r": station.region.adcd if station.region else "",
        }
        if stcd in rain24:
            entry["p24"] = round(rain24[stcd], 1)
            entry["p1"] = round(rain1.get(stcd, 0.0), 1)
        level = rivers.get(stcd) or reservoirs.get(stcd)
        if level is not None:
            entry["z"] = round(level.value, 2)
            entry["zt"] = S.local_iso(level.tm)
            entry["trend"] = level.trend
            entry["s"] = level.status.code
            if level.status.margin is not None:
                entry["over"] = level.status.margin
                entry["limit"] = level.status.limit
            if level.storage is not None:
                entry["w"] = level.storage
        per_station[stcd] = entry
    top = sorted(rain24.items(), key=lambda kv: -kv[1])[:TOP]
    over = [
        stcd
        for stcd, e in sorted(per_station.items(), key=lambda kv: -kv[1].get("over", 0))
        if e.get("s", hydrostd.NORMAL) != hydrostd.NORMAL
    ]
    typhoons = S.typhoon_summaries(at, limit=3)
    warnings = [
        {"text": str(w), "r": w.region_id or "", "since": S.local_iso(w.issued_at)}
        for w in S.active_warnings(at)[:20]
    ]
    responses = [
        {
            "text": str(r),
            "r": r.region_id or "",
            "level": r.level,
            "since": S.local_iso(r.started_at),
        }
        for r in S.active_responses(at)[:20]
    ]
    return {
        "at": S.local_iso(at),
        "stations": per_station,
        "rain_top": [[stcd, round(mm, 1)] for stcd, mm in top],
        "over": over,
        "typhoons": typhoons,
        "warnings": warnings,
        "responses": responses,
        "counts": {
            "rain_stations": sum(1 for s in stations.values() if s.sttp == StationType.RAIN),
            "over_warning": len(over),
        },
    }


def snapshot_rebuild(at: datetime | None = None) -> Snapshot:
    data = build(at)
    with transaction.atomic():
        snap, _ = Snapshot.objects.update_or_create(
            key="current",
            defaults={
                "data": data,
                "data_time": S.data_time(),
                "built_at": timezone.now(),
            },
        )
        # robust: the row is committed; a cache that is down only costs readers the row read.
        transaction.on_commit(lambda: cache.set(CACHE_KEY, data, CACHE_SECONDS), robust=True)
    return snap


def current() -> dict:
    try:
        data = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001  (a cache that is down must not cost a citizen the answer)
        log.warning("cache unavailable; reading the snapshot row", exc_info=True)
        return _row()
    if data is None:
        data = _row()
        try:
            cache.add(CACHE_KEY, data, CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable; snapshot not cached", exc_info=True)
    return data


def _row() -> dict:
    snap = Snapshot.objects.filter(key="current").only("data").first()
    return snap.data if snap else {}


def on_imported(*, event: str, **payload) -> None:
    """After an import commits, the current picture is rebuilt (listener of hydro.imported)."""
    snapshot_rebuild()
