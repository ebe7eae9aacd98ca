"""Remove audit entries older than the retention period (AUDIT_RETENTION_DAYS, at least 184 days).

Run it daily from cron or a systemd timer: ``python manage.py prune_audit``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import MIN_RETENTION_DAYS, audit_prune


class Command(BaseCommand):
    help = "Remove audit entries older than AUDIT_RETENTION_DAYS (at least 184 days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be removed."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        days = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
        if dry_run:
            cutoff = timezone.now() - timedelta(days=days)
            count = AuditEntry.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"{count} audit entries are older than {days} days (dry run).")
            return
        count = audit_prune()
        self.stdout.write(
            self.style.SUCCESS(f"Removed {count} audit entries older than {days} days.")
        )
