"""Periodic safety net for inbound WeChat work (run by the scheduler, SCHEDULED_COMMANDS).

1. Stores deliveries left in this host's local spool (accepted while the database was down), in
   case no later callback arrived to trigger the replay.
2. Takes over work nobody is doing: rows left ``processing`` by a killed worker past
   WECHAT_PROCESSING_TIMEOUT, failed rows due for a retry, and received rows whose processing
   signal was lost — without waiting for an unrelated message to wake a worker.
3. Prunes the refused-callback log to its retention and its cap.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.services import (
    callback_rejections_prune,
    claimable,
    inbound_process_pending,
)
from zhengwei.wechat.inbound.spool import spool_replay
from zhengwei.wechat.inbound.tasks import notify_stored


class Command(BaseCommand):
    help = "Replay the local callback spool and take over abandoned inbound processing."

    def add_arguments(self, parser):
        parser.add_argument("--max-rounds", type=int, default=20, help="batches of 50 at most")

    def handle(self, *args, max_rounds: int, **options):
        replayed = spool_replay(on_stored=notify_stored)
        waiting = InboundMessage.objects.filter(claimable(timezone.now())).count()
        processed = inbound_process_pending(max_rounds=max_rounds) if waiting else 0
        pruned = callback_rejections_prune()
        self.stdout.write(
            f"spool replayed {replayed}; {waiting} waiting, {processed} processed by the sweep; "
            f"{pruned} refused-callback rows pruned"
        )
