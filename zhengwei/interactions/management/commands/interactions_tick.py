"""Periodic work of citizen interaction: run every minute (cron or a systemd timer).

    python manage.py interactions_tick

* expires chat drafts whose window has passed (their content goes to the inbox, never lost);
* escalates conversations past their first-response or resolution deadline.
"""

from django.core.management.base import BaseCommand

from zhengwei.interactions import services


class Command(BaseCommand):
    help = "Expire stale chat report drafts and escalate overdue inbox conversations."

    def handle(self, *args, **options):
        expired = services.chat_drafts_expire()
        escalated = services.conversations_escalate_overdue()
        self.stdout.write(
            f"interactions: {expired} chat drafts expired, {len(escalated)} conversations escalated"
        )
