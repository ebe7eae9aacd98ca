"""Enqueue the periodic WeChat work on the "wechat" queue; a task worker runs it.

Run every 5 minutes from cron or a systemd timer, e.g.

    */5 * * * *  cd /srv/zhengwei && .venv/bin/python manage.py wechat_periodic

Each run: refreshes access tokens nearing expiry, polls comments of watched articles (WeChat
pushes no comment event), retries customer-service messages a worker left queued and expires
those whose window never reopened, prunes old API-call rows, and — once yesterday's statistics
are complete (after 08:00) and not yet stored — fetches them. Enqueuing twice is harmless: every
task is idempotent.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound import services, tasks
from zhengwei.wechat.outbound.models import AccessToken, DatacubeRow
from zhengwei.wechat.outbound.privileges import Capability, allows

JOBS = ["tokens", "comments", "datacube", "outbound", "prune"]


class Command(BaseCommand):
    help = "Enqueue periodic WeChat tasks (tokens, comments, statistics, queued messages)."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=JOBS, action="append", help="run only these jobs")

    def handle(self, *args, only=None, **options):
        jobs = set(only or JOBS)
        enqueued = []
        day = services.datacube_day()
        for account in WeChatAccount.objects.filter(is_active=True):
            has_token = AccessToken.objects.filter(account=account).exists()
            if "tokens" in jobs and has_token:
                enqueued.append(tasks.token_refresh.enqueue(account.pk))
            if "comments" in jobs and allows(account, Capability.COMMENTS):
                enqueued.append(tasks.comments_poll.enqueue(account.pk))
            stored = DatacubeRow.objects.filter(account=account, ref_date=day).exists()
            if "datacube" in jobs and allows(account, Capability.DATACUBE) and not stored:
                enqueued.append(tasks.datacube_daily.enqueue(account.pk))
        if "outbound" in jobs:
            enqueued.append(tasks.outbound_sweep.enqueue())
        if "prune" in jobs:
            enqueued.append(tasks.api_calls_prune.enqueue())
        self.stdout.write(f"enqueued {len(enqueued)} WeChat tasks")
