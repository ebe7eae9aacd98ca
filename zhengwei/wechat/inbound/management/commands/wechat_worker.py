"""A dedicated processing loop for heavy traffic: polls the stored deliveries directly, so no task
row is written per batch (run it with WECHAT_INBOUND_TASKS=false). Any number may run at once."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhengwei.wechat.inbound.services import inbound_process_pending


class Command(BaseCommand):
    help = "Process stored WeChat messages and events (claims rows; safe to run several)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.2, help="idle poll, seconds")
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--once", action="store_true", help="drain once and exit")

    def handle(self, *args, interval, batch, once, **options):
        while True:
            done = inbound_process_pending(limit=batch)
            if once:
                self.stdout.write(f"processed {done}")
                return
            if not done:
                close_old_connections()  # drop a connection that broke or aged while idle
                time.sleep(interval)
