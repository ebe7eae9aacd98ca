"""Restore a backup made by ``manage.py backup`` into an empty installation.

``python manage.py restore /srv/backup/zhengwei-backup-…``: checks every file against the
manifest first (nothing is touched when one differs), refuses an installation that already holds
data, restores the database and the files, then compares row counts with the manifest.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengwei.audit import backup
from zhengwei.audit.services import audit_record


class Command(BaseCommand):
    help = "Restore a backup directory into an empty installation, verifying checksums and counts."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup directory")

    def handle(self, *args, source: str, **options):
        path = Path(source)
        try:
            self.stdout.write("Verifying checksums…")
            manifest = backup.backup_verify(path)
            if not backup.installation_is_empty():
                raise CommandError(
                    "This installation already holds data or uploaded files; restore only into an "
                    "empty one (a new database after `migrate`, an empty MEDIA_ROOT)."
                )
            self.stdout.write("Restoring the database…")
            backup.restore_database(path, manifest)
            self.stdout.write("Restoring uploaded files…")
            backup.restore_media(path, progress=lambda m: self.stdout.write(f"  {m}"))
        except backup.BackupError as exc:
            raise CommandError(f"Restore refused: {exc}") from None
        differences = backup.compare(manifest)
        audit_record(
            action="backup.restore",
            actor_name="system",
            object_type="backup",
            object_repr=path.name,
            after={"tables": len(manifest["row_counts"]), "differences": differences[:20]},
            outcome="failed" if differences else "ok",
        )
        if differences:
            raise CommandError("Row counts differ after restore:\n" + "\n".join(differences))
        total = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {total} rows in {len(manifest['row_counts'])} tables and "
                f"{sum(1 for f in manifest['files'] if f.startswith('media/'))} files; counts match."
            )
        )
