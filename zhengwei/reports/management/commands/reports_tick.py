"""Periodic work for disaster reports: escalate overdue reports, prune old rate-limit counters.

Run it every minute (cron, systemd timer) or keep it running with ``--every 60``.
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhengwei.reports import ratelimit
from zhengwei.reports.services import reports_escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue disaster reports (duty officer → duty leader → office leader)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every N seconds (0: run once)"
        )

    def handle(self, *args, every: int = 0, **options):
        while True:
            escalated = reports_escalate_overdue()
            pruned = ratelimit.prune()
            for ticket, level in escalated:
                self.stdout.write(f"{ticket} → level {level}")
            if options.get("verbosity", 1) > 1 or escalated:
                self.stdout.write(f"escalated {len(escalated)}, pruned {pruned} counters")
            if not every:
                return
            time.sleep(every)
            close_old_connections()  # survive a database restart between rounds
