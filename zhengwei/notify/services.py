"""Telling office staff: ``notification_send`` and the outbound deliveries behind it.

``notification_send`` is called by the services of other apps inside their own transaction, so a
notification exists exactly when the change it reports does. Urgent notifications also go out on
the outbound channels (``NOTIFY_CHANNELS``) for which the person has an address; each such
delivery is a row, sent by a task on the "notify" queue once the transaction commits, retried
with back-off by ``notify_tick`` and given up on after ``NOTIFY_MAX_ATTEMPTS``.

Events:
    notification.sent                notification_ids, recipient_ids, kind, urgent
    notification.deliveries_queued   delivery_ids (tasks.on_deliveries_queued enqueues them)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhengwei.audit.services import audit_record
from zhengwei.lib.events import publish_on_commit
from zhengwei.notify import gateways
from zhengwei.notify.models import Channel, Delivery, DeliveryState, Notification
from zhengwei.orgs.models import User, WeChatAccount

log = logging.getLogger("zhengwei.notify")
SYSTEM = "系统"


def _people(recipients: Iterable[User | int]) -> list[User]:
    ids, users = [], {}
    for r in recipients:
        if isinstance(r, User):
            users[r.pk] = r
        elif r is not None:
            ids.append(int(r))
    if ids:
        users.update({u.pk: u for u in User.objects.filter(pk__in=ids)})
    return [u for _pk, u in sorted(users.items()) if u.is_active]


def _address(user: User, channel: str) -> str:
    if channel == Channel.SMS:
        return (user.phone or "").strip()
    if channel == Channel.EMAIL:
        return (user.email or "").strip()
    if channel == Channel.WECOM:
        return user.username
    return ""


def mask_address(channel: str, address: str) -> str:
    if channel == Channel.SMS and len(address) >= 7:
        return f"{address[:3]}****{address[-4:]}"
    if channel == Channel.EMAIL and "@" in address:
        name, domain = address.split("@", 1)
        return f"{name[:1]}***@{domain}"
    return address


def notification_send(
    *,
    recipients: Iterable[User | int],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    urgent: bool = False,
    account: WeChatAccount | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Tell each (active) recipient once; urgent ones also by SMS / 政务微信 / e-mail.

    No permission check: the calling service decided who must hear of what it did. Titles and
    bodies are the caller's and must not carry citizens' personal data (they leave the platform).
    """
    now = now or timezone.now()
    people = _people(recipients)
    if not people:
        return []
    made: list[Notification] = []
    deliveries: list[Delivery] = []
    with transaction.atomic():
        for person in people:
            note = Notification.objects.create(
                recipient=person,
                account=account,
                kind=kind[:40],
                title=title[:200],
                body=(body or "")[:2000],
                url=(url or "")[:300],
                urgent=urgent,
                created_at=now,
            )
            made.append(note)
            if not urgent:
                continue
            for channel in settings.NOTIFY_CHANNELS:
                address = _address(person, channel)
                if not address:
                    continue
                deliveries.append(
                    Delivery(
                        notification=note,
                        channel=channel,
                        address=mask_address(channel, address),
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in Delivery.objects.filter(notification__in=made).order_by("pk")]
        if ids:
            # tasks.on_deliveries_queued sends them from the "notify" queue; notify_tick
            # sends whatever could not be enqueued.
            publish_on_commit("notification.deliveries_queued", delivery_ids=ids)
        publish_on_commit(
            "notification.sent",
            notification_ids=[n.pk for n in made],
            recipient_ids=[p.pk for p in people],
            kind=kind,
            urgent=urgent,
        )
    return made


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Claim one due delivery, hand it to the gateway, record what happened.

    The claim (attempts + 1, next attempt pushed out by the lease) is committed before the
    gateway is called, so two workers never send the same delivery at once; a worker that dies
    mid-send leaves it to be retried after the lease.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification", "notification__recipient")
            .filter(
                pk=delivery_id,
                state__in=[DeliveryState.QUEUED, DeliveryState.FAILED],
                next_attempt_at__lte=now,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=settings.NOTIFY_SEND_LEASE_SECONDS)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    note = delivery.notification
    gateway = gateways.gateway()
    message = gateways.Message(
        channel=delivery.channel,
        to=_address(note.recipient, delivery.channel),
        title=note.title,
        body=note.body,
        ref=f"notification-{note.pk}",
    )
    delivery.gateway = gateway.name
    try:
        delivery.provider_id = gateway.send(message)[:80]
    except gateways.GatewayError as exc:
        delivery.last_error = str(exc)[:300]
        give_up = not exc.retry or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS
        delivery.state = DeliveryState.GAVE_UP if give_up else DeliveryState.FAILED
        delivery.next_attempt_at = now + _backoff(delivery.attempts)
        log.warning(
            "notification delivery %s via %s failed (attempt %s): %s",
            delivery.pk,
            delivery.channel,
            delivery.attempts,
            exc,
        )
    else:
        delivery.state = DeliveryState.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    delivery.save(
        update_fields=[
            "state",
            "gateway",
            "provider_id",
            "last_error",
            "next_attempt_at",
            "sent_at",
        ]
    )
    if delivery.state == DeliveryState.GAVE_UP:
        audit_record(
            action="notification.delivery_failed",
            obj=delivery,
            actor_name=SYSTEM,
            outcome="error",
            note=delivery.last_error[:200],
        )
    return delivery


def deliveries_send_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every delivery that is due (queued, or failed and past its back-off): the tick."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            Q(state=DeliveryState.QUEUED) | Q(state=DeliveryState.FAILED),
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for pk in due:
        delivery = delivery_send(delivery_id=pk, now=now)
        if delivery is not None:
            key = delivery.state if delivery.state != DeliveryState.QUEUED else "failed"
            counts[key] = counts.get(key, 0) + 1
    return counts


def notification_mark_read(
    *, user: User, ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Mark the person's own notifications read (all of them when ``ids`` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=now or timezone.now())


def notifications_prune(*, now: datetime | None = None) -> int:
    """Drop read notifications (and their delivery log) older than NOTIFY_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NOTIFY_RETENTION_DAYS)
    return Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()[0]
