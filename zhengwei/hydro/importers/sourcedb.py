"""Pulling SL 323 tables straight from a database connection (the 省水文 real-time database or
a copy of it): PostgreSQL (psycopg) or SQLite URLs; other engines (SQL Server, Oracle, 达梦 are
common in water agencies) need their DB-API driver added here — the queries are plain SQL.

Incremental: observations are pulled from the newest time already held for that table, less a
day, so late corrections are taken in too (the upsert makes the overlap harmless).
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.db.models import Max

from zhengwei.hydro.importers.common import BEIJING, parse_time
from zhengwei.hydro.importers.store import TABLES
from zhengwei.hydro.models import ImportKind

PULLED = (
    ("ST_STBPRP_B", ImportKind.STATIONS),
    # Optional: many real-time databases keep the flood-control indexes elsewhere.
    ("ST_RVFCCH_B", ImportKind.RIVER_LIMITS),
    ("ST_RSVRFSR_B", ImportKind.RESERVOIR_LIMITS),
    ("ST_PPTN_R", ImportKind.RAIN),
    ("ST_RIVER_R", ImportKind.RIVER),
    ("ST_RSVR_R", ImportKind.RESERVOIR),
)
OVERLAP = timedelta(days=1)


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def connect(url: str):
    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return sqlite3.connect(config["NAME"]), "?"
    if engine.endswith("postgresql"):
        import psycopg

        return (
            psycopg.connect(
                dbname=config["NAME"],
                user=config.get("USER") or None,
                password=config.get("PASSWORD") or None,
                host=config.get("HOST") or None,
                port=config.get("PORT") or None,
            ),
            "%s",
        )
    raise ValueError(f"no driver for {engine}: use a postgres:// or sqlite:/// URL")


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).strip()


def _records(cursor):
    names = [d[0].upper() for d in cursor.description]
    for number, row in enumerate(cursor, start=1):
        cell = {name: _text(value) for name, value in zip(names, row, strict=True)}
        yield number, cell, ",".join(cell.values())


def watermark(kind: str):
    model = TABLES[kind][0]
    newest = model.objects.aggregate(t=Max("tm"))["t"]
    return None if newest is None else newest - OVERLAP


def has_table(connection, table: str) -> bool:
    cursor = connection.cursor()
    try:
        cursor.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    except Exception:  # noqa: BLE001  (each driver raises its own "no such table")
        connection.rollback()  # PostgreSQL refuses further statements in a failed transaction
        return False
    return True


def queries(kind: str, table: str, mark: str, since: str | None) -> tuple[str, list]:
    """The SELECT that pulls one table: the base tables whole, observations from the watermark
    on."""
    if kind not in TABLES:
        return f"SELECT * FROM {table}", []
    start = parse_time(since) if since else watermark(kind)
    if start is None:
        return f"SELECT * FROM {table} ORDER BY TM", []
    # SL 323 databases hold naive Beijing times.
    local = start.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    return f"SELECT * FROM {table} WHERE TM >= {mark} ORDER BY TM", [local]


def records(cursor):
    """(row number, {COLUMN: text}, raw text) for every row the cursor returns."""
    return _records(cursor)
