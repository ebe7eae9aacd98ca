from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhengwei.simulator.deliveries import deliver_due
from zhengwei.simulator.router import alias
from zhengwei.simulator.seed import seed


class Command(BaseCommand):
    help = (
        "Create the simulated 福建防汛 account (values from zhengwei/demo/constants.py), a few "
        "demo citizens and the demo people's own phones (previews); the callback URL follows SIMULATOR_CALLBACK_BASE. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="first bring the simulator's own database up to date (./run does this)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="restore every demo value (mode, type, verification) and forget the menu",
        )
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="send the due PUBLISHJOBFINISH / MASSSENDJOBFINISH events once, then exit",
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 1
        if options["migrate"] and alias() != "default":
            call_command("migrate", database=alias(), interactive=False, verbosity=0)
        account = seed(
            reset=options["reset"], staff=True, out=self.stdout.write if verbose else None
        )
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{account.name} {account.original_id} AppID {account.app_id} "
                    f"({account.get_mode_display()}, {account.get_account_type_display()})"
                )
            )
        if options["deliver"]:
            deliver_due()
