"""A dedicated processing loop for heavy traffic: polls the stored deliveries directly, so no task
row is written per batch (run it with WECHAT_INBOUND_TASKS=false). Any number may run at once."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhengwei.lib.db import Backoff, survive_database
from zhengwei.wechat.inbound.services import inbound_process_pending

log = logging.getLogger("zhengwei.wechat.processing")


class Command(BaseCommand):
    help = "Process stored WeChat messages and events (claims rows; safe to run several)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.2, help="idle poll, seconds")
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--once", action="store_true", help="drain once and exit")

    def handle(self, *args, interval, batch, once, **options):
        backoff = Backoff()
        while True:
            # A database restart or outage pauses the loop (with back-off); it never ends it.
            done = survive_database(
                lambda: inbound_process_pending(limit=batch),
                log=log,
                what="wechat_worker",
                backoff=backoff,
            )
            if once:
                self.stdout.write(f"processed {done}")
                return
            if not done:
                close_old_connections()  # drop a connection that broke or aged while idle
                time.sleep(interval)
