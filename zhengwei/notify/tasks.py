"""Background work on the "notify" queue (thin wrappers around the services)."""

from __future__ import annotations

import logging

from django_tasks import task

from zhengwei.notify import services

log = logging.getLogger("zhengwei.notify")


@task(queue_name="notify")
def deliveries_send(delivery_ids: list[int]) -> list[str]:
    states = []
    for pk in delivery_ids:
        delivery = services.delivery_send(delivery_id=pk)
        states.append(delivery.state if delivery else "skipped")
    return states


def on_deliveries_queued(*, event: str, delivery_ids: list[int], **payload) -> None:
    try:
        deliveries_send.enqueue(delivery_ids)
    except Exception:  # notify_tick sends what could not be enqueued
        log.exception("could not enqueue notification deliveries %s", delivery_ids)
