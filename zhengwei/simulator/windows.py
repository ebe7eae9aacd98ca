"""The customer-service window (brief wechat.md §3.6): a citizen's message opens 5 messages for
48 hours, a menu click or follow opens 3 for one minute; each new trigger opens a fresh window.
Outside any window: 45015; inside but used up: 45047."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import SimAccount, SimCustomerWindow, SimFollower, WindowKind
from zhengwei.simulator.router import alias

# Message types that count as "the user sent a message"; click/scancode events and follows
# open the short interaction window; other events (VIEW, location_select …) open nothing.
MESSAGE_TRIGGERS = frozenset({"text", "image", "voice", "video", "shortvideo", "location", "link"})
INTERACTION_EVENTS = frozenset({"click", "scancode_push", "scancode_waitmsg", "subscribe", "scan"})


def trigger_for(fields: dict) -> str | None:
    msg_type = str(fields.get("MsgType", "")).lower()
    if msg_type in MESSAGE_TRIGGERS:
        return WindowKind.MESSAGE
    if msg_type == "event" and str(fields.get("Event", "")).lower() in INTERACTION_EVENTS:
        return WindowKind.INTERACTION
    return None


def open_window(account: SimAccount, openid: str, kind: str, now=None) -> None:
    now = now or timezone.now()
    conf = limits()["custom"]
    if kind == WindowKind.MESSAGE:
        quota, seconds = conf["message_quota"], conf["message_window_seconds"]
    else:
        quota, seconds = conf["interaction_quota"], conf["interaction_window_seconds"]
    values = {"opened_at": now, "expires_at": now + timedelta(seconds=seconds), "quota": quota}
    values["used"] = 0
    updated = SimCustomerWindow.objects.filter(account=account, openid=openid, kind=kind).update(
        **values
    )
    if not updated:
        try:
            with transaction.atomic(using=alias()):
                SimCustomerWindow.objects.create(
                    account=account, openid=openid, kind=kind, **values
                )
        except IntegrityError:
            SimCustomerWindow.objects.filter(account=account, openid=openid, kind=kind).update(
                **values
            )


def use_window(account: SimAccount, openid: str, now=None) -> SimCustomerWindow:
    """Spend one customer-service message for ``openid``; call inside a transaction."""
    now = now or timezone.now()
    follower = SimFollower.objects.filter(account=account, openid=openid).first()
    if follower is None:
        raise ApiError(40003)
    if not follower.subscribed:
        raise ApiError(45015)
    windows = list(
        SimCustomerWindow.objects.select_for_update().filter(account=account, openid=openid)
    )
    open_ones = [w for w in windows if w.is_open(now)]
    # Spend the message window first (it is the one the doc counts), then the short one.
    open_ones.sort(key=lambda w: w.kind != WindowKind.MESSAGE)
    for window in open_ones:
        if window.used < window.quota:
            window.used += 1
            window.save(update_fields=["used"])
            return window
    if open_ones:
        raise ApiError(45047)
    raise ApiError(45015)
