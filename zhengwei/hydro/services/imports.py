"""Importing files (command line, upload page, the inbox run by hydro_tick) and SL 323 databases.

``hydro_import`` takes one file: it is decoded (UTF-8 or GBK), its format recognised (or the one
asked for checked), every row checked, and then either refused whole — nothing stored, the reason
and line on the import record — or stored in one transaction with its rejected rows written to a
rejects file beside the import record. Re-importing a file is harmless (upserts), and the
incremental mode skips a file whose SHA-256 it has already imported.

``actor`` is the person importing (checked against the policy); ``None`` is the system itself
(the management command run by an operator on the server, the scheduler).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record
from zhengwei.hydro import policy as P
from zhengwei.hydro.importers import sl323, sourcedb, store, tracks
from zhengwei.hydro.importers.common import FileRefused, Parsed, Reject, decode, write_rejects
from zhengwei.hydro.models import (
    Forecast,
    ImportKind,
    ImportRun,
    ImportStatus,
    Landfall,
    Station,
    Threshold,
    ThresholdKind,
    TrackPoint,
    Typhoon,
)
from zhengwei.hydro.services.regions import regions_ensure
from zhengwei.lib.events import publish_on_commit

log = logging.getLogger("zhengwei.hydro.imports")
Progress = Callable[[int, int], None]  # (rows done so far in this step, rows in the step)


def station_context(now: datetime | None = None) -> sl323.Context:
    """Every station's type and reference level (warning level, else flood-season limit)."""
    reference: dict[str, float] = {}
    for stcd, kind, value in Threshold.objects.filter(
        kind__in=[ThresholdKind.WARNING, ThresholdKind.FLOOD_LIMIT]
    ).values_list("station_id", "kind", "value"):
        if kind == ThresholdKind.WARNING or stcd not in reference:
            reference[stcd] = value
    stations = {
        stcd: (sttp, reference.get(stcd))
        for stcd, sttp in Station.objects.values_list("stcd", "sttp")
    }
    return sl323.Context(stations, now=now)


def guess_kind(name: str, text: str) -> str | None:
    head = text.lstrip()[:2000]
    if head.startswith(("{", "[")) or name.lower().endswith((".json", ".js")):
        return ImportKind.ZJWATER
    if head.startswith("66666"):
        return ImportKind.CMA_BST
    first = head.splitlines()[0].upper() if head else ""
    if "SID" in first and "ISO_TIME" in first:
        return ImportKind.IBTRACS
    return sl323.detect(first.split(","))


def parse(kind: str | None, name: str, text: str) -> Parsed:
    found = guess_kind(name, text) if kind is None else kind
    if found is None:
        raise FileRefused(
            "unrecognised format: expected an SL 323 table (CSV), a CMA best-track file, "
            "an IBTrACS CSV or typhoon JSON",
            1,
        )
    if found == ImportKind.CMA_BST:
        return tracks.parse_cma(text)
    if found == ImportKind.IBTRACS:
        known = {
            (season, (name_en or "").upper()): tfid
            for tfid, season, name_en in Typhoon.objects.values_list("tfid", "season", "name_en")
        }
        return tracks.parse_ibtracs(text, known)
    if found == ImportKind.ZJWATER:
        return tracks.parse_zjwater(text)
    return sl323.parse_csv(text, station_context(), kind=found)


def _store(parsed: Parsed, progress: Progress | None, source: str) -> int:
    kind = parsed.kind
    if kind in sl323.OBSERVATION_KINDS:

        def step(_n: int) -> None:
            if progress:
                progress(parsed.read, max(parsed.read, parsed.expected or 0) or None)

        return store.upsert_observations(kind, parsed.chunks, step)
    if kind == ImportKind.STATIONS:
        regions = regions_ensure() if parsed.rows else {}
        return store.upsert_stations(parsed.rows, regions)
    if kind in sl323.THRESHOLD_KINDS:
        return store.upsert_thresholds(parsed.rows, source)
    return sum(_store_storm(storm) for storm in parsed.rows)


def _store_storm(storm: tracks.Storm) -> int:
    typhoon = Typhoon.objects.filter(pk=storm.tfid).first()
    if typhoon is None:
        typhoon = Typhoon(tfid=storm.tfid, season=storm.season)
    typhoon.name_cn = storm.name_cn or typhoon.name_cn or storm.name_en
    typhoon.name_en = storm.name_en or typhoon.name_en
    if storm.is_active is not None:
        typhoon.is_active = storm.is_active
    if getattr(storm, "sources", ""):
        typhoon.sources = storm.sources
    typhoon.save()
    TrackPoint.objects.bulk_create(
        [TrackPoint(typhoon=typhoon, source=storm.source, **p) for p in storm.points],
        update_conflicts=True,
        unique_fields=["typhoon", "tm", "source"],
        update_fields=[
            "lat", "lng", "grade", "wind", "pressure", "move_dir", "move_speed", "r7", "r10",
            "r12", "source_url",
        ],
    )  # fmt: skip
    if storm.forecasts:
        Forecast.objects.bulk_create(
            [Forecast(typhoon=typhoon, **f) for f in storm.forecasts],
            update_conflicts=True,
            unique_fields=["typhoon", "agency", "issued_at", "tm"],
            update_fields=["lat", "lng", "grade", "wind", "pressure"],
        )
    for landfall in storm.landfalls:
        Landfall.objects.update_or_create(
            typhoon=typhoon,
            tm=landfall["tm"],
            defaults={k: v for k, v in landfall.items() if k != "tm"},
        )
    return len(storm.points) + len(storm.forecasts) + len(storm.landfalls)


def hydro_import(
    *,
    actor,
    data: bytes,
    name: str,
    kind: str | None = None,
    progress: Progress | None = None,
    source: str = "",
) -> ImportRun:
    """Import one file's bytes; return its import record (whether done, partial or failed)."""

    def parsed() -> Parsed:
        text, _encoding = decode(data)
        return parse(kind, name, text)

    return _run(
        actor=actor,
        name=name,
        source=source or name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind or guess_kind(name, "") or "",
        read=parsed,
        progress=progress,
    )


def hydro_import_records(
    *, actor, kind: str, records, source: str, progress: Progress | None = None
) -> ImportRun:
    """Import rows of one SL 323 table read from a database: ``records`` yields
    (row number, {COLUMN: text}, raw text)."""

    def parsed() -> Parsed:
        return sl323.parse_records(kind, records, station_context(), Parsed(kind=kind))

    return _run(
        actor=actor, name=kind, source=source, sha256="", kind=kind, read=parsed, progress=progress
    )


def _run(*, actor, name, source, sha256, kind, read, progress) -> ImportRun:
    if actor is not None:
        require(actor, P.HYDRO_IMPORT)
    started, clock = timezone.now(), time.monotonic()
    run = ImportRun(
        kind=kind,
        source=source[:300],
        sha256=sha256,
        started_at=started,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        parsed = read()
        run.kind = parsed.kind
        with transaction.atomic():
            run.rows_stored = _store(parsed, progress, f"{parsed.kind} {run.source}")
            _finish(run, parsed, clock)
            run.save()
            _audit(actor, run)
            publish_on_commit("hydro.imported", run_id=run.pk, kind=run.kind)
    except FileRefused as exc:
        where = f" (line {exc.line})" if exc.line else ""
        run.status = ImportStatus.FAILED
        run.error = f"{name}{where}: {exc.reason}"
        run.kind = run.kind or ImportKind.RAIN
        run.seconds = time.monotonic() - clock
        rejected = [Reject(exc.line, exc.reason, "")]
        run.rejects_file = write_rejects(settings.HYDRO_REJECTS_DIR, name, run.source, rejected)
        with transaction.atomic():
            run.save()
            _audit(actor, run)
        log.warning("import of %s refused: %s", name, run.error)
        return run
    if run.rows_rejected:
        log.warning(
            "import of %s: %s rows rejected, see %s", name, run.rows_rejected, run.rejects_file
        )
    return run


def _finish(run: ImportRun, parsed: Parsed, clock: float) -> None:
    run.rows_read = parsed.read
    run.rows_rejected = len(parsed.rejects)
    run.status = ImportStatus.PARTIAL if parsed.rejects else ImportStatus.DONE
    run.rejects_file = write_rejects(
        settings.HYDRO_REJECTS_DIR, Path(run.source).name, run.source, parsed.rejects
    )
    if parsed.rejects:
        first = parsed.rejects[0]
        run.error = f"{run.source} line {first.line}: {first.reason}"[:2000]
    run.seconds = time.monotonic() - clock


def _audit(actor, run: ImportRun) -> None:
    audit_record(
        actor=actor,
        actor_name="" if actor is not None else "system",
        action="hydro.import",
        obj=run,
        object_repr=run.source[:200],
        after={
            "kind": run.kind,
            "status": run.status,
            "read": run.rows_read,
            "stored": run.rows_stored,
            "rejected": run.rows_rejected,
        },
        outcome="ok" if run.status != ImportStatus.FAILED else "refused",
    )


def already_imported(sha256: str) -> bool:
    return ImportRun.objects.filter(
        sha256=sha256, status__in=[ImportStatus.DONE, ImportStatus.PARTIAL]
    ).exists()


def inbox_run(*, folder: str | None = None) -> list[ImportRun]:
    """The incremental mode: import every file waiting in HYDRO_INBOX (oldest first) that has
    not been imported before, then move it to done/ (or failed/ when refused)."""
    inbox = Path(folder or settings.HYDRO_INBOX)
    if not inbox.is_dir():
        return []
    runs = []
    files = sorted((p for p in inbox.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime)
    # Stations first, so observations of new stations in the same batch are accepted.
    files.sort(key=lambda p: 0 if "STBPRP" in p.name.upper() else 1)
    for path in files:
        data = path.read_bytes()
        if already_imported(hashlib.sha256(data).hexdigest()):
            _move(path, "done")
            continue
        run = hydro_import(actor=None, data=data, name=path.name, source=str(path))
        _move(path, "failed" if run.status == ImportStatus.FAILED else "done")
        runs.append(run)
    return runs


def _move(path: Path, where: str) -> None:
    target = path.parent / where
    target.mkdir(exist_ok=True)
    path.replace(target / path.name)


def source_db_pull(*, url: str, since: str | None = None) -> list[ImportRun]:
    """Pull the SL 323 tables from a database connection (stations and their flood-control
    levels when the database has those tables, then rain, river and reservoir rows from the newest
    time held less a day, or from ``since``): one import record per table."""
    connection, mark = sourcedb.connect(url)
    runs = []
    try:
        for table, kind in sourcedb.PULLED:
            if kind in sl323.THRESHOLD_KINDS and not sourcedb.has_table(connection, table):
                continue
            sql, params = sourcedb.queries(kind, table, mark, since)
            cursor = connection.cursor()
            cursor.execute(sql, params)
            runs.append(
                hydro_import_records(
                    actor=None,
                    kind=kind,
                    records=sourcedb.records(cursor),
                    source=f"{sourcedb.redacted(url)}#{table}",
                )
            )
    finally:
        connection.close()
    return runs


REJECTS_SHOWN = 500


def rejects_of(run: ImportRun) -> list[dict]:
    """The first rows of an import's rejects file (file, line, reason, row)."""
    import csv

    path = Path(run.rejects_file) if run.rejects_file else None
    if path is None or not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for _, row in zip(range(REJECTS_SHOWN), csv.DictReader(handle), strict=False)]
