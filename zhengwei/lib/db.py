"""Small database helpers every services module uses."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection, models

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


def lock(obj: M) -> M:
    """Lock ``obj``'s row for the rest of the transaction (PostgreSQL; SQLite locks the whole
    database on write anyway) and read its current state into ``obj``."""
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj


# --- Surviving a database restart or outage -------------------------------------------------
# Django closes broken connections only around HTTP requests (request_started/finished). Code
# outside that cycle — the lean callback paths, thread-pool lookups, task workers, the scheduler —
# keeps a dead connection after a PostgreSQL restart and fails on it forever unless it closes it.

DISCONNECTED = (OperationalError, InterfaceError)


def drop_connection() -> None:
    """Forget this thread's connection so the next query opens a new one (never inside a
    transaction: the transaction's work is lost anyway, and the atomic block must see the error)."""
    if not connection.in_atomic_block:
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None


def reconnecting(fn: Callable[..., T], *args, **kwargs) -> T:
    """Call ``fn``; if it fails on a broken connection, drop the connection and call it once
    more on a new one. For idempotent reads outside the request cycle (the second failure
    propagates: the database is really down)."""
    try:
        return fn(*args, **kwargs)
    except DISCONNECTED:
        if connection.in_atomic_block:
            raise
        drop_connection()
        return fn(*args, **kwargs)


class Backoff:
    """Exponential back-off with full jitter between ``first`` and ``cap`` seconds."""

    def __init__(self, first: float = 0.5, cap: float = 30.0) -> None:
        self.first, self.cap = first, cap
        self.failures = 0

    def next_delay(self) -> float:
        self.failures += 1
        ceiling = min(self.cap, self.first * 2 ** (self.failures - 1))
        return ceiling / 2 + random.random() * ceiling / 2  # noqa: S311 - jitter, not security

    def wait(self) -> float:
        delay = self.next_delay()
        time.sleep(delay)
        return delay

    def reset(self) -> None:
        self.failures = 0


def survive_database(step: Callable[[], Any], *, log: logging.Logger, what: str, backoff: Backoff):
    """Run one ``step`` of a long-running loop; when the database fails, log it, drop the
    connection and wait with back-off instead of letting the process exit. Returns the step's
    result, or None after a database failure."""
    try:
        result = step()
    except DatabaseError as exc:
        delay = backoff.next_delay()
        log.warning("%s: database unavailable (%s); retrying in %.1fs", what, exc, delay)
        drop_connection()
        time.sleep(delay)
        return None
    if backoff.failures:
        log.warning("%s: database is back after %d failed attempts", what, backoff.failures)
        backoff.reset()
    return result
