from django.core.management.base import BaseCommand

from zhengwei.demo import constants as c
from zhengwei.demo import (
    hydro,
    interactions,
    menu,
    newsroom,
    orgs,
    performance,
    procurement,
    reports,
    retention,
    wechat,
)


class Command(BaseCommand):
    help = (
        "Create (or complete) the 福建防汛 demo. Safe to run again: it only adds what is missing."
    )

    def handle(self, *args, **options):
        # Each capability adds its demo module here, in dependency order.
        for module in (
            orgs,
            wechat,
            menu,
            reports,
            interactions,
            newsroom,
            hydro,
            procurement,
            performance,
            retention,
        ):
            module.seed(out=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {c.DEMO_PASSWORD}）："))
        for username, name, _org, _role, title in c.PEOPLE:
            self.stdout.write(f"  {username:<10} {name}  {title}")
