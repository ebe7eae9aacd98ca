"""Delete or anonymise personal data past its retention period (RETENTION_DAYS, per class).

Scheduled daily (SCHEDULED_COMMANDS). Each run keeps one row per class (the purge report page,
审计 → 个人信息清理报告) and one audit entry, 按保留期限清理个人信息.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhengwei.audit.services import retention_purge
from zhengwei.lib import retention


class Command(BaseCommand):
    help = "Purge personal data past its retention period and record what was purged."

    def handle(self, *args, **options):
        for row in retention_purge():
            label = retention.REGISTRY[row.data_class].label
            self.stdout.write(
                f"{label} ({row.data_class}): {row.records} purged, {row.files} files, "
                f"older than {row.days} days"
            )
