"""Periodic newsroom work (run by the scheduler every minute, or from cron):

    python manage.py newsroom_tick

Escalates review steps past their time limit (emergency fast track).
"""

from django.core.management.base import BaseCommand

from zhengwei.newsroom.services import review_steps_escalate


class Command(BaseCommand):
    help = "Escalate overdue review steps."

    def handle(self, *args, **options):
        escalated = review_steps_escalate()
        self.stdout.write(f"escalated {len(escalated)} review steps")
