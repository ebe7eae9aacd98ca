"""The performance app's periodic work (hourly from the scheduler or cron):

- the veto watch: open or clear alerts for every active account;
- once a day per account, probe the links of its menu;
- keep the message and report figures of closed months (``MonthFigures``) that are not kept yet
  or went stale, so a year's scorecard and the dashboard read twelve rows, not a year of rows.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance import services
from zhengwei.performance.models import MenuProbe


class Command(BaseCommand):
    help = "Veto watch for every account; daily menu-link probes."

    def add_arguments(self, parser):
        parser.add_argument("--no-probes", action="store_true", help="skip the menu-link probes")

    def handle(self, *args, no_probes=False, **options):
        now = timezone.now()
        today = timezone.localtime(now).date()
        probed = 0
        if not no_probes:
            for account in WeChatAccount.objects.filter(is_active=True):
                done = MenuProbe.objects.filter(account=account, probed_at__date=today).exists()
                if not done:
                    probed += len(services.menu_probe_run(account=account, now=now))
        result = services.veto_watch(now=now)
        kept = services.month_figures_store(now=now)
        self.stdout.write(
            f"veto watch: {result['opened']} opened, {result['cleared']} cleared; {probed} links "
            f"probed; {kept} months kept"
        )
