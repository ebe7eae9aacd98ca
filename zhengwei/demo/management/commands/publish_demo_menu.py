from django.core.management.base import BaseCommand

from zhengwei.demo import menu


class Command(BaseCommand):
    help = "Publish the demo account's current menu (the demo menu) to WeChat (the simulator under ./run)."

    def handle(self, *args, **options):
        if not menu.publish(out=self.stdout.write):
            raise SystemExit(1)
