"""Delete or anonymise personal data past its retention period (RETENTION_DAYS, per class).

Scheduled daily (SCHEDULED_COMMANDS). Writes one audit entry, 按保留期限清理个人信息, whose
"after" lists each class's period, cutoff and count: the report of what was purged that the
auditor finds in the audit log.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zhengwei.audit.services import audit_record
from zhengwei.lib import retention


class Command(BaseCommand):
    help = "Purge personal data past its retention period and record what was purged."

    def handle(self, *args, **options):
        with transaction.atomic():
            done = retention.purge_all(timezone.now())
            audit_record(
                action="retention.purge",
                actor_name="system",
                object_type="retention",
                object_repr=f"{sum(d['purged'] for d in done.values())} rows",
                after=done,
            )
        for name, result in done.items():
            label = retention.REGISTRY[name].label
            self.stdout.write(
                f"{label} ({name}): {result['purged']} purged, older than {result['days']} days"
            )
