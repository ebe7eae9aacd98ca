"""The customer-service window per citizen (reference wechat.md §3.6).

A citizen's message opens 5 messages for 48 hours; a menu click (click/scancode), a QR scan or
following opens 3 for one minute. ``consume`` takes one message from the window with a single
conditional UPDATE, so two processes can never both send the fifth; the refusal happens here,
without spending a WeChat call.

These counters change on every citizen message and every send: they are bookkeeping, not
decisions by people, so they are not audited (the OutboundMessage and ApiCall rows are).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound import limits
from zhengwei.wechat.outbound.errors import OutsideServiceWindow, ServiceQuotaExhausted
from zhengwei.wechat.outbound.models import ServiceWindow, WindowKind

INTERACTION_EVENTS = {"click", "scancode_push", "scancode_waitmsg", "subscribe", "scan"}


def kind_for(kind: str, msg_type: str, event: str) -> str | None:
    """Which window an inbound message or event opens, if any."""
    if kind != "event" and msg_type and msg_type != "event":
        return WindowKind.MESSAGE
    if (event or "").lower() in INTERACTION_EVENTS:
        return WindowKind.INTERACTION
    return None  # VIEW, LOCATION, unsubscribe, job-finish events: no window


def window_open(account_id: int, openid: str, kind: str) -> ServiceWindow:
    conf = limits.get("customer_service")
    now = timezone.now()
    quota, seconds = (
        (conf["message_quota"], conf["message_window_seconds"])
        if kind == WindowKind.MESSAGE
        else (conf["interaction_quota"], conf["interaction_window_seconds"])
    )
    fresh = {
        "kind": kind,
        "opened_at": now,
        "expires_at": now + timedelta(seconds=seconds),
        "quota": quota,
        "sent_count": 0,
    }
    for _attempt in range(2):  # a concurrent first message may create the row under us
        try:
            with transaction.atomic():
                window = (
                    ServiceWindow.objects.select_for_update()
                    .filter(account_id=account_id, openid=openid)
                    .first()
                )
                if window is None:
                    return ServiceWindow.objects.create(
                        account_id=account_id, openid=openid, **fresh
                    )
                # A click must not shrink a 48-hour window that still has messages left.
                if kind == WindowKind.INTERACTION and window.is_open(now):
                    return window
                for field, value in fresh.items():
                    setattr(window, field, value)
                window.save()
                return window
        except IntegrityError:
            continue
    raise RuntimeError("could not open the service window")


def window_close(account_id: int, openid: str) -> None:
    """WeChat said 45015 or the citizen unfollowed: the window is shut whatever we counted."""
    ServiceWindow.objects.filter(account_id=account_id, openid=openid).update(
        expires_at=timezone.now()
    )


def window_exhaust(account: WeChatAccount, openid: str) -> None:
    """WeChat said 45047: trust it over our count."""
    ServiceWindow.objects.filter(account=account, openid=openid).update(sent_count=F("quota"))


def is_open(account: WeChatAccount, openid: str) -> bool:
    window = ServiceWindow.objects.filter(account=account, openid=openid).first()
    return bool(window and window.is_open())


def consume(account: WeChatAccount, openid: str) -> None:
    """Take one message from the window, or raise without calling WeChat."""
    now = timezone.now()
    taken = ServiceWindow.objects.filter(
        account=account, openid=openid, expires_at__gt=now, sent_count__lt=F("quota")
    ).update(sent_count=F("sent_count") + 1)
    if taken:
        return
    window = ServiceWindow.objects.filter(account=account, openid=openid).first()
    endpoint = "/cgi-bin/message/custom/send"
    if window and window.expires_at > now:
        raise ServiceQuotaExhausted(45047, "local window quota used", endpoint=endpoint, local=True)
    raise OutsideServiceWindow(45015, "no open window", endpoint=endpoint, local=True)


def refund(account: WeChatAccount, openid: str) -> None:
    """WeChat refused the message for another reason: it did not count against the quota."""
    ServiceWindow.objects.filter(account=account, openid=openid, sent_count__gt=0).update(
        sent_count=F("sent_count") - 1
    )
