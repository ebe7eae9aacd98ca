"""Messages to one citizen go through the outbound app's ``customer_message_send``: sent at once
inside the citizen's 48-hour / 5-message window, otherwise queued until they write again.

Sent by a person (a duty officer's reply) the message carries that person; sent by the system (a
ticket number after a chat confirmation, a state notice after a unit's step) it carries nobody.
"""

from __future__ import annotations

from zhengwei.access.policy import may
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound import policy as outbound_policy
from zhengwei.wechat.outbound import services as outbound
from zhengwei.wechat.outbound.models import OutboundMessage

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
    return outbound.customer_message_send(
        actor=actor,
        account=account,
        openid=openid,
        msgtype="text",
        content={"content": text},
        personal=True,
        reference=reference[:64],
    )


def sent_text(message: OutboundMessage) -> str:
    """The text a message carries: what the records of it keep (never a copy from before it was
    trimmed to fit)."""
    return message.body.get("content", "")
