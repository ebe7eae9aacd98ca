"""Human-readable ticket numbers, e.g. FJ20261126-0001, unique across processes.

The counter row for the day is incremented with an UPDATE inside the caller's transaction, so the
row lock is held until the report is committed: two processes can never draw the same number
(SQLite serialises writers; PostgreSQL locks the row). The first report of a day creates the row;
a concurrent creator's IntegrityError falls back to the UPDATE.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengwei.reports.models import TicketCounter


def next_ticket(*, at: datetime | None = None) -> str:
    prefix = settings.REPORT_TICKET_PREFIX
    day = timezone.localtime(at or timezone.now()).strftime("%Y%m%d")
    key = f"{prefix}{day}"
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_ticket must run inside the report's transaction")
    if not TicketCounter.objects.filter(key=key).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketCounter.objects.create(key=key, last=1)
        except IntegrityError:
            TicketCounter.objects.filter(key=key).update(last=F("last") + 1)
    number = TicketCounter.objects.get(key=key).last
    return f"{key}-{number:04d}"
