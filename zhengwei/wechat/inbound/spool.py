"""The callback's local spool: deliveries accepted while the database is unreachable.

WeChat retries a callback for about 15 seconds; a database restart or outage can last longer. When
the store fails, the callback appends the delivery to an append-only file on local disk (one file
per process, one JSON line per delivery, ``fsync`` before the answer), answers 200, and the
spooled rows are inserted once the database is back — in the order they were received, through
the same ``INSERT … ON CONFLICT DO NOTHING`` as the live path, so a delivery that was also stored
(a WeChat retry after recovery, or a commit whose answer was lost) is never stored twice.

Replay (``spool_replay``) runs in the process that stores the next delivery successfully and in
the periodic ``wechat_sweep`` command, so a spool is emptied even if no more messages arrive. Each
file is replayed under an exclusive ``flock`` and unlinked while the lock is held; a writer that
was waiting on that lock sees the unlinked file (``st_nlink == 0``) and opens a new one, so no
line is written to a file nobody will read.

The spool is bounded (WECHAT_SPOOL_MAX_BYTES in all): when full, the callback answers 503 again
and WeChat retries, as without a spool. WECHAT_SPOOL_DIR must be on local disk shared by the web
processes and the scheduler of one host (default ``var/spool/wechat``).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError

from zhengwei.lib.db import drop_connection
from zhengwei.wechat.inbound.store import Row, insert_rows, sealed_values

log = logging.getLogger("zhengwei.wechat.spool")

SUFFIX = ".jsonl"
_replay_lock = threading.Lock()
_last_look = 0.0
_pending_hint = False  # this process spooled something since its last replay


class SpoolFull(Exception):
    pass


def spool_dir() -> Path:
    return Path(settings.WECHAT_SPOOL_DIR)


def _files() -> list[Path]:
    try:
        return sorted(p for p in spool_dir().iterdir() if p.suffix == SUFFIX)
    except FileNotFoundError:
        return []


def spooled_bytes() -> int:
    total = 0
    for path in _files():
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            pass
    return total


def _encode(row: Row) -> bytes:
    data = sealed_values(row)
    data["received_at"] = row.received_at.isoformat()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _decode(line: bytes) -> Row:
    data = json.loads(line)
    data["received_at"] = datetime.fromisoformat(data["received_at"])
    return Row(**data)


def spool_append(row: Row) -> None:
    """Make ``row`` durable on local disk; raises SpoolFull (or OSError) if it cannot."""
    global _pending_hint
    line = _encode(row)
    if spooled_bytes() + len(line) > settings.WECHAT_SPOOL_MAX_BYTES:
        raise SpoolFull(f"spool holds {settings.WECHAT_SPOOL_MAX_BYTES} bytes")
    directory = spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{os.getpid()}{SUFFIX}"
    while True:
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            stat = os.fstat(fd)
            if stat.st_nlink == 0:  # replayed and unlinked while we waited for the lock
                continue
            if stat.st_size and os.pread(fd, 1, stat.st_size - 1) != b"\n":
                os.write(fd, b"\n")  # a line torn by a crash must not swallow this one
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        break
    if created:  # the new file's directory entry must survive a power cut too
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    _pending_hint = True
    log.warning("delivery %s spooled to %s (database unavailable)", row.dedupe_key, path.name)


def spool_pending(*, every: float = 1.0) -> bool:
    """Cheap check for the hot path: is there anything to replay? Looks at the directory at most
    once per ``every`` seconds (and at once after this process spooled something)."""
    global _last_look
    now = time.monotonic()
    if not _pending_hint and now - _last_look < every:
        return False
    _last_look = now
    return _pending_hint or bool(_files())


def spool_replay(*, on_stored=None, batch: int = 500) -> int:
    """Insert every spooled delivery (oldest first, per file) and remove the files; returns how
    many new rows were stored. A database failure leaves the remaining files for the next try."""
    global _pending_hint
    if not _replay_lock.acquire(blocking=False):
        return 0  # another thread of this process is replaying
    stored = 0
    try:
        files = _files()
        _pending_hint = False
        for path in files:
            try:
                stored += _replay_file(path, batch)
            except DatabaseError as exc:
                log.warning("spool replay stopped, database unavailable: %s", exc)
                drop_connection()
                _pending_hint = True
                break
    finally:
        _replay_lock.release()
    if stored and on_stored is not None:
        on_stored()
    return stored


def _replay_file(path: Path, batch: int) -> int:
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return 0
    stored = 0
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink == 0:
            return 0
        with os.fdopen(os.dup(fd), "rb") as f:
            lines = f.read().split(b"\n")
        rows: list[Row] = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rows.append(_decode(line))
            except (ValueError, TypeError) as exc:  # a line torn by a crash before its answer
                log.error("spool %s line %d unreadable, skipped: %s", path.name, number, exc)
        rows.sort(key=lambda r: r.received_at)
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            try:
                results = insert_rows(chunk)
            except (DataError, IntegrityError):
                results = _one_by_one(chunk, path)  # one row the database refuses for good
            stored += sum(1 for r in results if r.created)
        os.unlink(path)
        log.warning("spool %s replayed: %d rows, %d new", path.name, len(rows), stored)
    finally:
        os.close(fd)
    return stored


def _one_by_one(rows: list[Row], path: Path) -> list:
    """Insert rows singly; a row the database refuses (not a lost connection) is kept aside in
    ``<file>.refused`` for an operator, instead of blocking the spool for ever."""
    results = []
    for row in rows:
        try:
            results += insert_rows([row])
        except (DataError, IntegrityError) as exc:
            log.error("spooled delivery %s refused by the database: %s", row.dedupe_key, exc)
            with open(path.with_suffix(".refused"), "ab") as f:
                f.write(_encode(row))
    return results


def spool_replay_soon(on_stored=None) -> None:
    """After a successful store: if anything is spooled, replay it on a thread of its own (the
    caller — a request or the group-commit writer — is not held up)."""
    if not spool_pending():
        return
    threading.Thread(target=_replay_thread, args=(on_stored,), daemon=True).start()


def _replay_thread(on_stored) -> None:
    try:
        spool_replay(on_stored=on_stored)
    except Exception:
        log.exception("spool replay failed")
    finally:
        drop_connection()  # this thread's connection dies with it
