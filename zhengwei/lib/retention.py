"""Retention per class of personal data (PIPL art. 19: "the shortest time the purpose needs").

Each app that holds a class registers how to purge it (``register``); ``manage.py
purge_personal_data`` (scheduled daily) runs every class with the cutoff RETENTION_DAYS gives and
writes one audit entry listing what each class purged. A purge deletes or anonymises; it never
touches rows still in use (open reports), which is each app's own rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings


@dataclass(frozen=True)
class DataClass:
    name: str
    label: str
    # Purges what is older than the cutoff: the number of records, or (records, files).
    purge: Callable[[datetime], int | tuple[int, int]]
    # The time of the oldest record the class still holds after a purge (None: none left).
    oldest: Callable[[datetime], datetime | None] | None = None


REGISTRY: dict[str, DataClass] = {}


def register(
    name: str,
    label: str,
    purge: Callable[[datetime], int | tuple[int, int]],
    *,
    oldest: Callable[[datetime], datetime | None] | None = None,
) -> None:
    REGISTRY[name] = DataClass(name, label, purge, oldest)


def purge_all(now: datetime) -> dict[str, dict]:
    """Run every registered class; {name: {"days", "cutoff", "purged", "files", "oldest_kept"}}."""
    done = {}
    for name, data_class in sorted(REGISTRY.items()):
        days = settings.RETENTION_DAYS[name]
        cutoff = now - timedelta(days=days)
        purged = data_class.purge(cutoff)
        records, files = purged if isinstance(purged, tuple) else (purged, 0)
        oldest = data_class.oldest(cutoff) if data_class.oldest else None
        done[name] = {
            "days": days,
            "cutoff": cutoff.isoformat(),
            "purged": records,
            "files": files,
            "oldest_kept": oldest.isoformat() if oldest else None,
        }
    return done
