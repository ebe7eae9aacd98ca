"""Writes of the duty console: the change log, fed by other apps' events.

The log is bookkeeping for live consoles, not a decision by anyone, so it is not audited (the
changes it points at are, by their own services) — like the service-window counters.
"""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone

from zhengwei.duty.models import Change

log = logging.getLogger("zhengwei.duty")
KEEP = timedelta(days=2)
_writes = itertools.count(1)


def change_record(*, account_id: int, kind: str, object_id: int, verb: str) -> None:
    try:
        Change.objects.create(account_id=account_id, kind=kind, object_id=object_id, verb=verb[:40])
    except DatabaseError:
        # A console misses a change for at most its next full refresh; never fail the caller.
        log.exception("could not record console change %s:%s", kind, object_id)
        return
    if next(_writes) % 1000 == 0:
        changes_prune()


def changes_prune(*, now=None) -> int:
    cutoff = (now or timezone.now()) - KEEP
    return Change.objects.filter(at__lt=cutoff).delete()[0]
