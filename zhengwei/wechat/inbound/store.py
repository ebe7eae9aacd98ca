"""Durable, de-duplicated storage of callback deliveries.

``insert_rows`` writes many deliveries in one statement and one transaction (multi-row
``INSERT … ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING``; PostgreSQL and SQLite ≥ 3.35
share the syntax). The unique constraint is the cross-process de-duplication: a row that
conflicts is a WeChat retry, answered with the reply stored on the first delivery.

Two ways to call it:

* ``DirectStore`` (the Django view, tests, runserver): one delivery per transaction.
* ``GroupCommitter`` (the lean WSGI path in production): request threads hand their row to one
  writer thread per process and block until it is committed. The writer takes everything queued
  while the previous commit was running (capped at WECHAT_GROUP_COMMIT_MAX), so under load one
  commit — the expensive part: a WAL flush — serves many requests, and every message is still
  durable before its HTTP answer. A commit failure fails every request of the batch (503), and
  WeChat retries them.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction

from zhengwei.lib.sealed import SealedTextField, blind
from zhengwei.wechat.inbound.models import CallbackRejection, InboundMessage, State

log = logging.getLogger("zhengwei.wechat.store")


class StoreError(Exception):
    """The delivery could not be made durable: the callback must not acknowledge it."""


@dataclass
class Row:
    account_id: int
    dedupe_key: str
    from_user: str
    kind: str
    msg_type: str
    event: str
    event_key: str
    msg_id: str
    create_time: int
    received_at: Any
    raw_xml: str
    fields: dict
    mode: str
    known: bool
    reply_xml: str = ""
    state: str = State.RECEIVED
    attempts: int = 0
    error: str = ""
    claim_token: str = ""
    from_user_index: str = ""

    def __post_init__(self):
        if not self.from_user_index:
            self.from_user_index = blind(self.from_user)


@dataclass
class Stored:
    created: bool
    reply_xml: str  # the reply of the first delivery ("" when it got none)


_COLUMNS = [f for f in InboundMessage._meta.concrete_fields if f.attname in Row.__annotations__]
_SEALED = [f for f in _COLUMNS if isinstance(f, SealedTextField)]
_REPLY = InboundMessage._meta.get_field("reply_xml")  # sealed at rest, sent back in clear


def sealed_values(row: Row) -> dict:
    """The row as it is stored: a Row holds plaintext (the reply goes back to WeChat), the
    database and the spool hold the sender, the message and the reply encrypted."""
    data = dict(vars(row))
    for field in _SEALED:
        data[field.attname] = field.get_prep_value(data[field.attname])
    return data


@functools.lru_cache(maxsize=64)
def _insert_sql(n_rows: int, returning: bool, vendor: str = "") -> str:
    qn = connection.ops.quote_name
    table = qn(InboundMessage._meta.db_table)
    cols = ", ".join(qn(f.column) for f in _COLUMNS)
    conflict = f"ON CONFLICT ({qn('account_id')}, {qn('dedupe_key')}) DO NOTHING"
    tail = f" RETURNING {qn('account_id')}, {qn('dedupe_key')}" if returning else ""
    if n_rows == 0:  # PostgreSQL: the whole batch as one JSON parameter, see insert_rows
        source = f"SELECT {cols} FROM json_populate_recordset(NULL::{table}, %s::json)"
    else:
        one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
        source = f"VALUES {', '.join([one] * n_rows)}"
    return f"INSERT INTO {table} ({cols}) {source} {conflict}{tail}"


def _params(row: Row) -> list:
    return [f.get_db_prep_save(getattr(row, f.attname), connection) for f in _COLUMNS]


_NO_LOCK = contextlib.nullcontext()


def _json_default(value):
    return value.isoformat()  # received_at, the only non-JSON value of a Row


def insert_rows(rows: list[Row], *, write_lock=_NO_LOCK) -> list[Stored]:
    """Insert deliveries with one statement, so in autocommit mode the batch is one transaction
    and one round trip (no BEGIN/COMMIT); one result per row, in order.

    The same key twice in one batch (a retry storm hitting one process) inserts once; the later
    copies are answered like retries.

    On SQLite the keys are looked up first: a read needs no lock in WAL mode, so a batch of
    retries is answered without taking the database's single write lock (which every process's
    writer and the task worker queue for), and only new deliveries are written, inside
    ``write_lock`` (the group committer's ``_WriterLock``; never taken inside a transaction)."""
    first: dict[tuple[int, str], Row] = {}
    for row in rows:
        first.setdefault((row.account_id, row.dedupe_key), row)
    stored_replies: dict[tuple[int, str], str] = {}
    if connection.vendor == "sqlite":
        stored_replies = _stored_replies(list(first))
    unique = [row for key, row in first.items() if key not in stored_replies]
    created: set[tuple[int, str]] = set()
    if unique:
        with write_lock:
            created = _insert(unique)
    conflicts = [key for key in first if key not in created and key not in stored_replies]
    if conflicts:  # stored by another process since (or, on PostgreSQL, retries)
        stored_replies.update(_stored_replies(conflicts))
    results = []
    for row in rows:
        key = (row.account_id, row.dedupe_key)
        if key in created and first[key] is row:
            results.append(Stored(created=True, reply_xml=row.reply_xml))
        elif key in created:
            results.append(Stored(created=False, reply_xml=first[key].reply_xml))
        else:
            results.append(Stored(created=False, reply_xml=stored_replies.get(key, "")))
    return results


def _stored_replies(keys: list[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The stored first deliveries among ``keys``: (account, dedupe key) → its reply."""
    by_account: dict[int, list[str]] = defaultdict(list)
    for account_id, dedupe_key in keys:
        by_account[account_id].append(dedupe_key)
    found = {}
    qn = connection.ops.quote_name
    table = qn(InboundMessage._meta.db_table)
    with connection.cursor() as cur:
        # Plain SQL: on the hot path the ORM's query building cost more than the lookup.
        for account_id, dedupe_keys in by_account.items():
            marks = ", ".join(["%s"] * len(dedupe_keys))
            cur.execute(
                f"SELECT {qn('dedupe_key')}, {qn('reply_xml')} FROM {table} "
                f"WHERE {qn('account_id')} = %s AND {qn('dedupe_key')} IN ({marks})",
                [account_id, *dedupe_keys],
            )
            for key, reply in cur.fetchall():
                found[(account_id, key)] = _REPLY.from_db_value(reply, None, connection)
    return found


def _insert(unique: list[Row]) -> set[tuple[int, str]]:
    """INSERT … ON CONFLICT DO NOTHING of rows with distinct keys; the keys actually inserted."""
    created: set[tuple[int, str]] = set()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # One constant statement with one JSON parameter, unpacked by the server: per-row
            # work in Python is a C json.dumps instead of adapting ~20 parameters per row (which
            # cost more CPU than everything else on the hot path).
            payload = json.dumps([sealed_values(r) for r in unique], default=_json_default)
            cur.execute(_insert_sql(0, True, connection.vendor), [payload])
            created = {(int(a), k) for a, k in cur.fetchall()}
        elif connection.features.can_return_rows_from_bulk_insert:
            params = [p for row in unique for p in _params(row)]
            cur.execute(_insert_sql(len(unique), True, connection.vendor), params)
            created = {(int(a), k) for a, k in cur.fetchall()}
        else:  # SQLite < 3.35: row by row, still one transaction
            with transaction.atomic():
                for row in unique:
                    cur.execute(_insert_sql(1, False, connection.vendor), _params(row))
                    if cur.rowcount == 1:
                        created.add((row.account_id, row.dedupe_key))
    return created


class DirectStore:
    """One transaction per delivery, in the calling thread (the Django view)."""

    def __init__(
        self, on_stored: Callable[[], None], after_write: Callable[[], None] | None = None
    ) -> None:
        self.on_stored = on_stored
        self.after_write = after_write

    def save(self, row: Row) -> Stored:
        try:
            with transaction.atomic():
                result = insert_rows([row])[0]
                if result.created:
                    transaction.on_commit(self.on_stored)
        except DatabaseError as exc:
            raise StoreError(str(exc)) from exc
        if self.after_write is not None:
            self.after_write()
        return result

    def reject(self, rejection: CallbackRejection) -> None:
        try:
            rejection.save()
        except DatabaseError:
            log.exception("could not record a callback rejection")


class _WriterLock:
    """On SQLite, an exclusive ``flock`` on a file beside the database, held by each process's
    writer around its INSERT. SQLite has one write lock for all processes, and a writer that finds
    it taken sleeps in SQLite's busy handler (1, 2, 5, … up to 100 ms at a time) however soon the
    lock is free again; with two web workers storing all the time, those sleeps were the
    callback's p99. Writers queued on a flock are woken the moment it is released."""

    def __init__(self) -> None:
        self._fd: int | None = None
        self._pid: int | None = None

    def _file(self) -> int | None:
        if connection.vendor != "sqlite":
            return None
        if self._pid != os.getpid():  # a descriptor opened before a fork is not this process's
            name = str(connection.settings_dict["NAME"])
            self._fd = None
            if name and ":memory:" not in name and "mode=memory" not in name:
                self._fd = os.open(f"{name}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        fd = self._file()
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)

    def __exit__(self, *exc) -> None:
        if self._fd is not None and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)


class _Job:
    __slots__ = ("row", "done", "result", "error")

    def __init__(self, row: Row) -> None:
        self.row = row
        # A bare lock, held until the writer releases it: far cheaper than an Event (which
        # takes a Condition) when thousands of requests a second wait on their own job.
        self.done = threading.Lock()
        self.done.acquire()
        self.result: Stored | None = None
        self.error: BaseException | None = None


class _Closed(Exception):
    pass


class GroupCommitter:
    """One writer thread per process that commits the queued deliveries in batches."""

    def __init__(
        self,
        *,
        max_batch: int,
        max_wait: float,
        timeout: float,
        on_stored: Callable[[], None],
        kick_interval: float,
        after_write: Callable[[], None] | None = None,
    ) -> None:
        self.after_write = after_write
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.timeout = timeout
        self.on_stored = on_stored
        self.kick_interval = kick_interval
        self._cv = threading.Condition()
        self._jobs: list[_Job] = []
        self._rejections: list[CallbackRejection] = []
        self._pid: int | None = None
        self._idle = False  # the writer is waiting for work (only then is a notify needed)
        self._dirty = False  # rows committed that the processing step was not told about
        self._last_kick = 0.0
        self._closing = False
        self.batches = 0  # statistics for tests and the benchmark
        self.rows = 0
        self._writer_lock = _WriterLock()

    def _ensure_writer(self) -> None:
        # Started lazily and per process: a thread started before a fork (gunicorn --preload)
        # does not exist in the child.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._jobs, self._rejections = [], []
            threading.Thread(target=self._run, name="wechat-group-commit", daemon=True).start()

    def save(self, row: Row) -> Stored:
        job = _Job(row)
        with self._cv:
            self._ensure_writer()
            self._jobs.append(job)
            if self._idle:
                self._cv.notify()
        if not job.done.acquire(timeout=self.timeout):
            raise StoreError("timed out waiting for the group commit")
        if job.error is not None:
            raise StoreError(str(job.error)) from job.error
        return job.result

    def reject(self, rejection: CallbackRejection) -> None:
        # Not awaited: a rejection's record need not be durable before the 403.
        with self._cv:
            self._ensure_writer()
            if len(self._rejections) < 10_000:  # a flood of junk must not grow memory
                self._rejections.append(rejection)
            if self._idle:
                self._cv.notify()

    def _wait(self, timeout: float | None) -> None:
        self._idle = True
        try:
            self._cv.wait(timeout)
        finally:
            self._idle = False

    def close(self) -> None:
        """Stop the writer once the queue is empty and close its connection (tests, shutdown)."""
        with self._cv:
            self._closing = True
            self._cv.notify()

    def _take(self) -> tuple[list[_Job], list[CallbackRejection]]:
        with self._cv:
            while not self._jobs and not self._rejections:
                if self._closing:
                    raise _Closed
                if self._dirty:
                    due = self._last_kick + self.kick_interval - time.monotonic()
                    if due <= 0:
                        return [], []
                    self._wait(due)
                else:
                    self._wait(None)
            if self.max_wait and len(self._jobs) < self.max_batch:
                deadline = time.monotonic() + self.max_wait
                while len(self._jobs) < self.max_batch:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._wait(remaining)
            jobs, self._jobs = self._jobs[: self.max_batch], self._jobs[self.max_batch :]
            rejections, self._rejections = self._rejections, []
            return jobs, rejections

    def _write(self, jobs: list[_Job], rejections: list[CallbackRejection]) -> None:
        for attempt in (1, 2):
            try:
                # Autocommit: the INSERT statement is its own transaction, durable when it
                # returns. Rejections are written after it, on their own.
                rows = [j.row for j in jobs]
                results = insert_rows(rows, write_lock=self._writer_lock) if jobs else []
                break
            except (OperationalError, InterfaceError) as exc:
                connection.close()  # a dropped connection: reconnect once, then give up
                if attempt == 2:
                    return self._fail(jobs, exc)
            except Exception as exc:
                connection.close()
                return self._fail(jobs, exc)
        for job, result in zip(jobs, results, strict=True):
            job.result = result
            job.done.release()
        if rejections:
            try:
                CallbackRejection.objects.bulk_create(rejections)
            except DatabaseError:
                log.exception("could not record %d callback rejections", len(rejections))
        self.batches += 1
        self.rows += len(jobs)
        if any(r.created for r in results):
            self._dirty = True
        if jobs and self.after_write is not None:
            self.after_write()  # the database takes writes: e.g. empty the local spool

    def _fail(self, jobs: list[_Job], exc: BaseException) -> None:
        log.error("group commit of %d deliveries failed: %s", len(jobs), exc)
        for job in jobs:
            job.error = exc
            job.done.release()

    def _maybe_kick(self) -> None:
        # Coalesced: at most one "process the stored rows" signal per kick_interval, and a
        # trailing one so the last rows of a burst are never left waiting.
        if self._dirty and time.monotonic() - self._last_kick >= self.kick_interval:
            self._dirty = False
            self._last_kick = time.monotonic()
            try:
                self.on_stored()
            except Exception:
                log.exception("could not signal the processing step")

    def _run(self) -> None:
        while True:
            try:
                jobs, rejections = self._take()
                if jobs or rejections:
                    self._write(jobs, rejections)
                self._maybe_kick()
            except _Closed:
                if self._dirty:
                    self.on_stored()
                connection.close()
                return
            except Exception:  # the writer must never die: every request would time out
                log.exception("group commit writer error")
                time.sleep(0.1)
