"""Periodic flood-data work (settings.SCHEDULED_COMMANDS): take in what waits in HYDRO_INBOX,
pull new rows from HYDRO_SOURCE_DB when one is set, and rebuild the current picture."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from zhengwei.hydro.services import imports, snapshot


class Command(BaseCommand):
    help = "Import new flood data (inbox folder, source database) and refresh the live picture."

    def handle(self, *args, **options):
        runs = imports.inbox_run()
        if settings.HYDRO_SOURCE_DB:
            runs += imports.source_db_pull(url=settings.HYDRO_SOURCE_DB)
        snapshot.snapshot_rebuild()
        for run in runs:
            self.stdout.write(f"{run.source}: {run.status} {run.rows_stored}/{run.rows_read}")
