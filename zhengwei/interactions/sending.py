"""Messages to one citizen go through the outbound app's ``customer_message_send``: sent at once
inside the citizen's 48-hour / 5-message window, otherwise queued until they write again.

Sent by a person (a duty officer's reply) the message carries that person; sent by the system (a
ticket number after a chat confirmation, a state notice after a unit's step) it carries nobody.

``customer_message_send`` documents ``actor=None`` as the system but still asks the policy, which
refuses nobody-in-particular. Until the outbound app skips the policy check for the system (see
the note in docs/guide/interactions.md), ``_system_send`` below does what it does for that one case:
same row, same audit entry, same event, same delivery task. Once outbound accepts ``actor=None``,
the fallback is never reached and can go.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhengwei.access.policy import may
from zhengwei.audit.services import audit_record
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound import policy as outbound_policy
from zhengwei.wechat.outbound import services as outbound
from zhengwei.wechat.outbound import windows
from zhengwei.wechat.outbound.models import OutboundMessage, OutboundState
from zhengwei.wechat.outbound.privileges import Capability, require_capability

MAX_CHARS = 600


def sender_for(user, account: WeChatAccount) -> User | None:
    """The person a message may carry, or None (the system) when they may not send it."""
    if isinstance(user, User) and may(
        user, outbound_policy.CUSTOMER_MESSAGE_SEND_PERSONAL, account
    ):
        return user
    return None


def send_text(
    *, actor: User | None, account: WeChatAccount, openid: str, text: str, reference: str
) -> OutboundMessage:
    text = (text or "").strip()[:MAX_CHARS]
    try:
        return outbound.customer_message_send(
            actor=actor,
            account=account,
            openid=openid,
            msgtype="text",
            content={"content": text},
            personal=True,
            reference=reference[:64],
        )
    except PermissionDenied:
        if actor is not None:
            raise
        return _system_send(account=account, openid=openid, text=text, reference=reference[:64])


def _system_send(*, account: WeChatAccount, openid: str, text: str, reference: str):
    require_capability(account, Capability.CUSTOMER_SERVICE)
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            account=account,
            openid=openid,
            msgtype="text",
            body={"content": text},
            personal=True,
            reference=reference,
            created_by=None,
            state=(
                OutboundState.QUEUED
                if windows.is_open(account, openid)
                else OutboundState.WAITING_WINDOW
            ),
        )
        audit_record(
            action="outbound_message.create",
            obj=message,
            actor_name="system",
            after={"state": message.state, "msgtype": "text", "reference": reference},
        )
        publish_on_commit("outbound_message.created", message_id=message.pk)
        if message.state == OutboundState.QUEUED:
            outbound._enqueue_delivery([message.pk])
    return message
