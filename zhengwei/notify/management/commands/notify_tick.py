"""Periodic work for notifications: send due deliveries (retries), prune old read ones."""

from django.core.management.base import BaseCommand

from zhengwei.notify.services import deliveries_send_due, notifications_prune


class Command(BaseCommand):
    help = "Send due notification deliveries (SMS / 政务微信 / e-mail) and prune old ones."

    def handle(self, *args, **options):
        counts = deliveries_send_due()
        pruned = notifications_prune()
        if options.get("verbosity", 1) > 1 or any(counts.values()):
            self.stdout.write(
                "sent {sent}, failed {failed}, gave up {gave_up}".format(**counts)
                + f", pruned {pruned}"
            )
