"""Send the procurement deadline and renewal reminders that are due (run by the scheduler)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from zhengwei.procurement.services.reminders import reminders_run


class Command(BaseCommand):
    help = "Send due procurement reminders (contract signing, publication, filing, renewal)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        sent = reminders_run(today=today)
        self.stdout.write(f"{len(sent)} reminder(s) sent")
