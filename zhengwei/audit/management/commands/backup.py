"""Make a consistent backup: the database, the uploaded files and a manifest of SHA-256 checksums.

``python manage.py backup --to /srv/backup`` writes ``/srv/backup/zhengwei-backup-<UTC time>/``.
docs/deploy.md (备份与恢复) says how to schedule it and copy it off-site.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhengwei.audit.backup import BackupError, backup_create
from zhengwei.audit.services import audit_record


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new directory with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", default=str(Path(settings.VAR_DIR) / "backups"), help="parent directory"
        )

    def handle(self, *args, to: str, **options):
        try:
            target = backup_create(Path(to), progress=lambda m: self.stdout.write(f"  {m}"))
        except (BackupError, OSError) as exc:
            audit_record(
                action="backup.create", actor_name="system", note=str(exc)[:500], outcome="failed"
            )
            raise CommandError(f"Backup failed: {exc}") from None
        audit_record(
            action="backup.create",
            actor_name="system",
            object_type="backup",
            object_repr=target.name,
            note=str(target),
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
