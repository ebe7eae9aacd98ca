"""Background work on the "wechat" queue. Thin wrappers: load, call the service, return counts.

Scheduled by ``manage.py wechat_periodic`` (cron or a systemd timer); delivery is also enqueued
by customer_message_send and by the inbound-message listener.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound import limits, services, tokens
from zhengwei.wechat.outbound.models import ApiCall


@task(queue_name="wechat")
def outbound_deliver(message_ids: list[int]) -> list[str]:
    """Send queued customer-service messages in the given order."""
    states = []
    for message_id in message_ids:
        message = services.outbound_message_deliver(message_id=message_id)
        states.append(message.state if message else "skipped")
    return states


def on_messages_queued(*, event: str, message_ids: list[int], delay: float = 0, **payload) -> None:
    """Queued messages (the services' ``outbound_message.queued``) go out in one task, in order;
    a retry waits ``delay`` seconds."""
    if not delay:
        outbound_deliver.enqueue(message_ids)
    elif outbound_deliver.get_backend().supports_defer:
        task = outbound_deliver.using(run_after=timezone.now() + timedelta(seconds=delay))
        task.enqueue(message_ids)
    # else: a backend that cannot wait (the immediate one in tests) leaves it to the sweep.


@task(queue_name="wechat")
def outbound_sweep() -> dict:
    return services.outbound_messages_sweep()


@task(queue_name="wechat")
def comments_poll(account_id: int) -> int:
    return services.comments_poll(account=WeChatAccount.objects.get(pk=account_id))


@task(queue_name="wechat")
def datacube_daily(account_id: int) -> dict:
    return services.datacube_daily(account=WeChatAccount.objects.get(pk=account_id))


@task(queue_name="wechat")
def token_refresh(account_id: int) -> None:
    """Refresh ahead of expiry, so that no request waits for a fetch."""
    tokens.get_token(WeChatAccount.objects.get(pk=account_id))


@task(queue_name="wechat")
def api_calls_prune() -> int:
    days = limits.limits()["api_call_retention_days"]
    cutoff = timezone.now() - timedelta(days=days)
    return ApiCall.objects.filter(at__lt=cutoff).delete()[0]
