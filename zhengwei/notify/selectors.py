"""Reads: a person's own notifications, and the delivery log under the policy."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhengwei.access.policy import accounts_for
from zhengwei.notify.models import Delivery, Notification
from zhengwei.notify.policy import NOTIFY_DELIVERIES
from zhengwei.orgs.models import User


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).select_related("account")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def banner(*, user: User, limit: int = 5) -> list[Notification]:
    """The unread urgent notifications an open console shows in its banner (newest first)."""
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True, urgent=True).order_by(
            "-id"
        )[:limit]
    )


def latest_id(*, user: User) -> int:
    return (
        Notification.objects.filter(recipient=user).order_by("-id").values_list("pk", flat=True)
    ).first() or 0


def deliveries_for(*, user: User, channel: str = "", state: str = "") -> QuerySet[Delivery]:
    """The delivery log rows ``user`` may read: of the accounts they may read it on, their own,
    and (administrators of the installation) those about no account."""
    qs = Delivery.objects.select_related("notification", "notification__recipient")
    accounts = [a.pk for a in accounts_for(user, NOTIFY_DELIVERIES)]
    scope = Q(notification__account_id__in=accounts) | Q(notification__recipient=user)
    if user.is_superuser:
        scope |= Q(notification__account__isnull=True)
    qs = qs.filter(scope)
    if channel:
        qs = qs.filter(channel=channel)
    if state:
        qs = qs.filter(state=state)
    return qs
