"""django-tasks' ``db_worker``, made to outlive the database.

The stock worker exits on the first database error (a restart, a failover, a database that is
not up yet when the worker starts), and every stored task then waits for someone to restart it.
This override (zhengwei.scheduler comes before django_tasks_db in INSTALLED_APPS, so Django picks
this command) keeps the process: on a database error it logs, drops the connection and tries again
with exponential back-off (0.5 s doubling to 30 s, jittered). A task whose result could not be
recorded stays claimed; its effect is idempotent (the inbound rows it processes are re-claimed by
``wechat_sweep`` after WECHAT_PROCESSING_TIMEOUT). systemd's ``Restart=always`` stays the second
line of defence, not the first.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connection
from django_tasks_db.management.commands import db_worker as stock

from zhengwei.lib.db import Backoff, drop_connection, survive_database

log = logging.getLogger("zhengwei.tasks")


def _probe() -> bool:
    connection.ensure_connection()
    return True


class ResilientWorker(stock.Worker):
    def run(self) -> None:
        backoff = Backoff()
        what = f"task worker {self.worker_id}"
        while self.running:
            if backoff.failures and not survive_database(
                _probe, log=log, what=what, backoff=backoff
            ):
                continue  # still down: survive_database waited
            try:
                super().run()
                return  # --batch, --max-tasks or a signal ended the stock loop normally
            except DatabaseError as exc:
                delay = backoff.next_delay()
                log.warning("%s: database unavailable (%s); retrying in %.1fs", what, exc, delay)
                drop_connection()
                time.sleep(delay)


class Command(stock.Command):
    def handle(self, *args, **options):
        stock.Worker, original = ResilientWorker, stock.Worker
        try:
            return super().handle(*args, **options)
        finally:
            stock.Worker = original
