"""Periodic newsroom work (run by the scheduler every minute, or from cron):

    python manage.py newsroom_tick

Sends scheduled pushes whose time has come (through the publishing gate), asks WeChat about
submitted publishes that have not reported back, escalates review steps past their limit, and
uploads images other apps offered with an article that have not reached WeChat yet.
"""

from django.core.management.base import BaseCommand

from zhengwei.newsroom.services import (
    articles_images_upload_pending,
    pushes_poll,
    pushes_publish_due,
    review_steps_escalate,
)


class Command(BaseCommand):
    help = "Publish due pushes, poll submitted ones, escalate overdue review steps."

    def handle(self, *args, **options):
        sent = pushes_publish_due()
        polled = pushes_poll()
        escalated = review_steps_escalate()
        images = articles_images_upload_pending()
        self.stdout.write(
            f"pushes sent {len(sent)}, polled {polled}; escalated {len(escalated)} review steps; "
            f"{images} offered images uploaded"
        )
