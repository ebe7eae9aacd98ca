"""Idempotent upserts of checked rows: importing the same file twice changes nothing.

Observations on PostgreSQL go through ``COPY``. When the table holds nothing in the rows' time
span (a feed's new hours, the usual case; one BRIN probe tells) they are copied straight into it.
Otherwise into a temporary table and one ``INSERT … SELECT … ON CONFLICT (station_id, tm) DO
UPDATE``: the set-based upsert from the staging table keeps it idempotent (a plain COPY into the
real table would fail on the first row already there). Other databases (SQLite in development)
use ``bulk_create(update_conflicts=True)``, the same statement row by row in batches.
Callers run these inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import F

from zhengwei.hydro.models import (
    ImportKind,
    RainObservation,
    ReservoirObservation,
    RiverObservation,
    Station,
    Threshold,
)

TABLES = {
    ImportKind.RAIN: (RainObservation, ("station_id", "tm", "drp", "intv", "dyp")),
    ImportKind.RIVER: (RiverObservation, ("station_id", "tm", "z", "q", "wptn")),
    ImportKind.RESERVOIR: (
        ReservoirObservation,
        ("station_id", "tm", "rz", "inq", "otq", "w", "rwptn"),
    ),
}
BATCH = 5000


def upsert_observations(
    kind: str, rows: Sequence[tuple], progress: Callable[[int], None] | None = None
) -> int:
    model, columns = TABLES[kind]
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _copy_upsert(model._meta.db_table, columns, rows, progress)
    fields = [c.removesuffix("_id") if c == "station_id" else c for c in columns]
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in chunk],
            update_conflicts=True,
            unique_fields=["station", "tm"],
            update_fields=[f for f in fields if f not in ("station", "tm")],
        )
        if progress:
            progress(len(chunk))
    return len(rows)


def _copy(cursor, target: str, cols: str, rows, progress) -> None:
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    with raw.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:
        for done, row in enumerate(rows, start=1):
            copy.write_row(row)
            if progress and done % BATCH == 0:
                progress(BATCH)
    if progress:
        progress(len(rows) % BATCH)


def _copy_upsert(table: str, columns: Sequence[str], rows, progress) -> int:
    cols = ", ".join(columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in ("station_id", "tm"))
    stage = f"{table}_stage"
    times = [row[1] for row in rows]
    with connection.cursor() as cursor:
        # New hours (the usual feed file) cannot collide with a stored row: COPY straight into
        # the table, at COPY's speed. The check is one BRIN range probe.
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE tm >= %s AND tm <= %s)",
            [min(times), max(times)],
        )
        if not cursor.fetchone()[0]:
            _copy(cursor, table, cols, rows, progress)
            return len(rows)
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table} INCLUDING DEFAULTS) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {stage}")
        _copy(cursor, stage, cols, rows, progress)
        # No DISTINCT ON: the parsers reject a key seen twice in one file (sl323.parse_records),
        # and sorting every batch would cost more than the upsert itself.
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} "
            f"ON CONFLICT (station_id, tm) DO UPDATE SET {updates}"
        )
        cursor.execute(f"TRUNCATE {stage}")
    return len(rows)


STATION_FIELDS = (
    "name",
    "sttp",
    "river",
    "basin",
    "lng",
    "lat",
    "location",
    "datum_name",
    "datum_elevation",
    "is_active",
)


def upsert_stations(rows: Sequence[dict], regions: dict[str, object]) -> int:
    objs = []
    for row in rows:
        values = {k: row[k] for k in STATION_FIELDS}
        objs.append(Station(stcd=row["stcd"], region=regions.get(row["adcd"]), **values))
    Station.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["stcd"],
        update_fields=[*STATION_FIELDS, "region"],
        batch_size=1000,
    )
    return len(objs)


def upsert_thresholds(rows: Sequence[dict], source: str) -> int:
    """Store flood-control levels from ST_RVFCCH_B / ST_RSVRFSR_B rows, keeping their history.

    Per station, kind and season the levels form a chain of validity periods. A row valid from a
    day already in the chain replaces that level; a new day starts a new period and closes the
    one before it on that day (and ends where a later one starts). A level equal to the one
    already in force that day is not a change, so re-importing a table stores nothing new.
    Returns the number of thresholds added or changed."""
    changed = 0
    for row in rows:
        for kind, value in row["levels"].items():
            changed += _threshold_put(
                row["stcd"], kind, value, row["valid_from"], *row["season"], source
            )
    return changed


def _threshold_put(stcd, kind, value, valid_from, season_begin, season_end, source) -> int:
    chain = list(
        Threshold.objects.select_for_update()
        .filter(station_id=stcd, kind=kind, season_begin=season_begin)
        .order_by(F("valid_from").asc(nulls_first=True))
    )
    same = next((t for t in chain if t.valid_from == valid_from), None)
    if same is not None:
        if (same.value, same.season_end) == (value, season_end):
            return 0
        same.value, same.season_end, same.source = value, season_end, source[:300]
        same.save(update_fields=["value", "season_end", "source"])
        return 1

    def starts_before(t: Threshold) -> bool:
        return valid_from is not None and (t.valid_from is None or t.valid_from < valid_from)

    earlier = [t for t in chain if starts_before(t)]
    later = [t for t in chain if not starts_before(t)]
    previous = earlier[-1] if earlier else None
    in_force = previous is not None and (
        previous.valid_to is None or previous.valid_to > valid_from
    )
    if in_force and (previous.value, previous.season_end) == (value, season_end):
        return 0
    if in_force:
        previous.valid_to = valid_from
        previous.save(update_fields=["valid_to"])
    Threshold.objects.create(
        station_id=stcd,
        kind=kind,
        value=value,
        valid_from=valid_from,
        valid_to=later[0].valid_from if later else None,
        season_begin=season_begin,
        season_end=season_end,
        source=source[:300],
    )
    return 1
