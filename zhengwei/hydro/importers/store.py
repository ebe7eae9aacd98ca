"""Idempotent upserts of checked rows: importing the same file twice changes nothing.

Observation rows arrive as text (sl323), as the database reads it, in chunks read from the file as
they are taken. On PostgreSQL they go through ``COPY`` in CSV (written by the csv module), and
while the server loads one chunk the next is read. A chunk of new hours (later than anything the
table holds; the usual feed file) cannot collide with a stored row and is copied straight into the
table, at COPY's speed. Any other chunk goes into a temporary table, and at the end one
``INSERT … SELECT … ON CONFLICT (station_id, tm) DO UPDATE`` takes them all, leaving a row alone
when its values are the same (a re-sent file writes nothing; a plain COPY into the real table
would fail on the first row already there). Imports into one table take turns (a transaction
lock), so that what is new cannot change under an import. Other databases (SQLite in development)
use ``bulk_create(update_conflicts=True)``, the same statement row by row in batches. Callers run
these inside the import's transaction.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.db import connection
from django.db.models import F, Max, OuterRef, Subquery

from zhengwei.hydro.models import (
    ImportKind,
    RainObservation,
    ReservoirObservation,
    RiverObservation,
    Station,
    Threshold,
)

# The columns of each table in the order of sl323's rows; the last of river and reservoir rows
# is the trend, an empty text rather than NULL.
TABLES = {
    ImportKind.RAIN: (RainObservation, ("station_id", "tm", "drp", "intv", "dyp")),
    ImportKind.RIVER: (RiverObservation, ("station_id", "tm", "z", "q", "wptn")),
    ImportKind.RESERVOIR: (
        ReservoirObservation,
        ("station_id", "tm", "rz", "inq", "otq", "w", "rwptn"),
    ),
}
NOT_NULL_TEXT = ("wptn", "rwptn")


def upsert_observations(
    kind: str, chunks: Iterable[Sequence[tuple]], progress: Callable[[int], None] | None = None
) -> int:
    """Store every chunk of rows; the number of rows."""
    model, columns = TABLES[kind]
    if connection.vendor == "postgresql":
        return _copy_upsert(model, columns, chunks, progress)
    fields = [c.removesuffix("_id") if c == "station_id" else c for c in columns]
    stored = 0
    for chunk in chunks:
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in chunk],
            update_conflicts=True,
            unique_fields=["station", "tm"],
            update_fields=[f for f in fields if f not in ("station", "tm")],
            batch_size=1000,
        )
        stored += len(chunk)
        if progress:
            progress(len(chunk))
    return stored


def newest(model) -> datetime | None:
    """The latest time the table holds: each station's newest row is one probe of the
    (station, tm) key, where Max(tm) over the table would read all of it (the BRIN index on time
    cannot answer a maximum)."""
    latest = model.objects.filter(station=OuterRef("pk")).order_by("-tm").values("tm")[:1]
    return Station.objects.annotate(t=Subquery(latest)).aggregate(newest=Max("t"))["newest"]


def _copy_upsert(model, columns: Sequence[str], chunks, progress) -> int:
    table = model._meta.db_table
    stage = f"{table}_stage"
    keep_empty = [c for c in columns if c in NOT_NULL_TEXT]
    options = f", FORCE_NOT_NULL ({', '.join(keep_empty)})" if keep_empty else ""
    stored, staged = 0, False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [table])
        after = newest(model)

        def routed():
            for chunk in chunks:
                # Times are ISO texts, not all in one offset: compared as times, once each.
                first = min(datetime.fromisoformat(text) for text in {row[1] for row in chunk})
                yield (table if after is None or first > after else stage), chunk

        # One COPY for each run of chunks bound for the same table, open while they are read.
        for target, run in itertools.groupby(routed(), key=operator.itemgetter(0)):
            if target == stage and not staged:
                _stage(cursor, table, stage)
                staged = True
            sql = f"COPY {target} ({', '.join(columns)}) FROM STDIN (FORMAT csv{options})"
            with cursor.cursor.copy(sql) as copy:  # the psycopg cursor under Django's wrapper
                for _target, chunk in run:
                    buffer = io.StringIO()
                    csv.writer(buffer, lineterminator="\n").writerows(chunk)
                    copy.write(buffer.getvalue())
                    stored += len(chunk)
                    if progress:
                        progress(len(chunk))
        if staged:
            _merge(cursor, table, stage, columns)
    return stored


def _stage(cursor, table: str, stage: str) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table} INCLUDING DEFAULTS) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {stage}")


def _merge(cursor, table: str, stage: str, columns: Sequence[str]) -> None:
    cols = ", ".join(columns)
    values = [c for c in columns if c not in ("station_id", "tm")]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in values)
    changed = (
        f"({', '.join(f'{table}.{c}' for c in values)}) IS DISTINCT FROM "
        f"({', '.join(f'EXCLUDED.{c}' for c in values)})"
    )
    # No DISTINCT ON: the parsers reject a key seen twice in one file (sl323), and sorting every
    # row would cost more than the upsert itself.
    cursor.execute(
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} "
        f"ON CONFLICT (station_id, tm) DO UPDATE SET {updates} WHERE {changed}"
    )
    cursor.execute(f"TRUNCATE {stage}")


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
