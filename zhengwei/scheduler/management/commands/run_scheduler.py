import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhengwei.lib.db import Backoff, survive_database
from zhengwei.scheduler.runner import jobs, run_due

log = logging.getLogger("zhengwei.scheduler")


class Command(BaseCommand):
    help = "Run the periodic commands of SCHEDULED_COMMANDS when due (safe to run several)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is due, then exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")

    def handle(self, *args, once: bool, tick: float, **options):
        # Log, not stdout: ./run shows only warnings on its console (issue #7: the banner was
        # buried under "ran …" lines); the schedule and each run go to the scheduler's log file.
        log.info("scheduler: %s", ", ".join(f"{n} every {s}s" for n, s in jobs().items()))
        backoff = Backoff()
        while True:
            # A database that is down or restarting delays the round; it never ends the process.
            ran = survive_database(run_due, log=log, what="scheduler", backoff=backoff)
            for name in ran or ():
                log.info("ran %s", name)
            if once:
                return
            close_old_connections()
            time.sleep(tick)
