"""Run the periodic management commands named in settings.SCHEDULED_COMMANDS.

Embedded mode (``./run``) starts one scheduler; production may run one per host or use cron
instead (docs/deploy.md). Rounds are claimed in the database, so two schedulers never start the
same round twice, and a scheduler that dies mid-run loses its lease after one interval.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import IntegrityError
from django.db.models import F, Q
from django.utils import timezone

from zhengwei.scheduler.models import ScheduledRun

log = logging.getLogger("zhengwei.scheduler")


def jobs() -> dict[str, int]:
    available = get_commands()
    return {name: every for name, every in settings.SCHEDULED_COMMANDS.items() if name in available}


def claim(name: str, every: int, now: datetime) -> bool:
    try:
        ScheduledRun.objects.get_or_create(name=name, defaults={"next_due_at": now})
    except IntegrityError:
        pass  # created by another scheduler at the same moment
    lease = now + timedelta(seconds=max(every, 30))
    return bool(
        ScheduledRun.objects.filter(name=name, next_due_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease, next_due_at=now + timedelta(seconds=every), last_started_at=now)
    )


def run_due(now: datetime | None = None) -> list[str]:
    """Start every job that is due and unclaimed; return the names that ran."""
    ran = []
    for name, every in jobs().items():
        if not claim(name, every, now or timezone.now()):
            continue
        error = ""
        try:
            call_command(name, stdout=io.StringIO())
        except Exception as exc:  # one failing job must not stop the others
            log.exception("scheduled command %s failed", name)
            error = f"{type(exc).__name__}: {exc}"[:2000]
        ScheduledRun.objects.filter(name=name).update(
            lease_until=None, last_finished_at=timezone.now(), last_error=error, runs=F("runs") + 1
        )
        ran.append(name)
    return ran
