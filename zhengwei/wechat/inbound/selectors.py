"""Reads of stored messages and reply rules, with the policy applied (and personal data masked)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengwei.access.policy import Action, may, require
from zhengwei.lib.privacy import mask_text, pseudonym
from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.inbound.models import (
    CallbackRejection,
    ChangeState,
    ContentChange,
    InboundMessage,
    KeywordReply,
    MenuButtonName,
    MenuClickReply,
)
from zhengwei.wechat.inbound.policy import (
    CHANGES_VIEW,
    MESSAGES_VIEW,
    REJECTIONS_VIEW,
    REPLIES_VIEW,
)

PAGE = 50


def message_list(
    *, user, account: WeChatAccount, kind: str = "", before: int | None = None
) -> QuerySet[InboundMessage]:
    require(user, MESSAGES_VIEW, account)
    qs = InboundMessage.objects.filter(account=account).defer("raw_xml", "reply_xml")
    if kind == "message":
        qs = qs.filter(kind="message")
    elif kind == "event":
        qs = qs.filter(kind="event")
    if before:
        qs = qs.filter(pk__lt=before)
    return qs.order_by("-received_at", "-id")[:PAGE]


def rejection_list(*, user, account: WeChatAccount, limit: int = 20) -> list[CallbackRejection]:
    """Recent refusals for this account (unknown-account ones have no account and are not shown
    here: they are scans, visible in the log)."""
    if not may(user, REJECTIONS_VIEW, account):
        return []
    return list(CallbackRejection.objects.filter(account=account).order_by("-at")[:limit])


@dataclass(frozen=True)
class Row:
    message: InboundMessage
    type_label: str
    preview: str
    sender: str = ""  # the citizen's pseudonym on this account, never the openid


_TYPES = {
    "text": lambda: pgettext("message type", "Text"),
    "image": lambda: _("Image"),
    "voice": lambda: _("Voice"),
    "video": lambda: _("Video"),
    "shortvideo": lambda: _("Short video"),
    "location": lambda: _("Location"),
    "link": lambda: _("Link"),
    "subscribe": lambda: _("Follow"),
    "unsubscribe": lambda: _("Unfollow"),
    "scan": lambda: _("QR scan"),
    "click": lambda: _("Menu click"),
    "view": lambda: _("Menu link"),
    "scancode_push": lambda: _("Menu scan"),
    "scancode_waitmsg": lambda: _("Menu scan"),
    "pic_sysphoto": lambda: _("Menu photo"),
    "pic_photo_or_album": lambda: _("Menu photo"),
    "pic_weixin": lambda: _("Menu photo"),
    "location_select": lambda: _("Menu location"),
    "masssendjobfinish": lambda: _("Mass send finished"),
    "publishjobfinish": lambda: _("Publish finished"),
    "templatesendjobfinish": lambda: _("Template send finished"),
}


def _cut(text: str, n: int = 80, *, revealed: bool = False) -> str:
    """One line of what a citizen wrote, personal data masked (zhengwei.lib.privacy) unless
    ``revealed`` (an audited reveal)."""
    text = " ".join(text.split())
    text = text if revealed else mask_text(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _button_names(account: WeChatAccount, messages) -> dict[int, str]:
    """Message pk → the name the pressed button had when it was pressed (the newest name recorded
    before; a click older than every record takes the first one), for click and link events."""
    pressed = [m for m in messages if m.kind == "event" and m.event.lower() in ("click", "view")]
    history: dict[str, list[tuple]] = {}
    for row in MenuButtonName.objects.filter(
        account=account, key__in={m.event_key for m in pressed}
    ).order_by("since", "pk"):
        history.setdefault(row.key, []).append((row.since, row.name))
    names = {}
    for m in pressed:
        versions = history.get(m.event_key)
        if versions:
            names[m.pk] = next(
                (name for since, name in reversed(versions) if since <= m.received_at),
                versions[0][1],
            )
    return names


def preview(m: InboundMessage, *, personal: bool, revealed: bool = False, button: str = "") -> str:
    """A one-line summary. A click shows ``button``, the name of the button pressed, never its
    key. Without ``personal``: no coordinates, place names, photo URLs or media ids (they locate
    or show the citizen). Phone and ID numbers, names and the like in what the citizen wrote are
    masked for everyone (``_cut``)."""
    hidden = _("(personal data hidden)")
    f = m.field
    key = m.event.lower() if m.kind == "event" else m.msg_type
    if not m.known:
        return _("Unknown type %(type)s") % {"type": m.event or m.msg_type}
    if key == "text":
        return _cut(f("Content"), revealed=revealed)
    if key == "image":
        return f("PicUrl") if personal else hidden
    if key == "voice":
        return _cut(f("Recognition"), revealed=revealed) or (f("MediaId") if personal else hidden)
    if key in ("video", "shortvideo"):
        return f("MediaId") if personal else hidden
    if key == "location":
        if not personal:
            return hidden
        if m.kind == "event":
            return f"{f('Latitude')}, {f('Longitude')}"
        return _cut(f"{f('Label')} ({f('Location_X')}, {f('Location_Y')})")
    if key == "location_select":
        info = m.fields.get("SendLocationInfo") or {}
        if not personal or not isinstance(info, dict):
            return hidden
        place = info.get("Poiname") or info.get("Label") or ""
        return _cut(f"{place} ({info.get('Location_X', '')}, {info.get('Location_Y', '')})")
    if key == "link":
        return _cut(f("Title"))
    if key == "click":
        return button or _("A button no longer in any menu")
    if key == "view":
        return f"{button} · {_cut(m.event_key)}" if button else _cut(m.event_key)
    if key == "scan":
        return _cut(m.event_key)
    if key == "subscribe":
        scene = m.event_key.removeprefix("qrscene_") if m.event_key.startswith("qrscene_") else ""
        return _("via QR scene %(scene)s") % {"scene": scene} if scene else ""
    if key.startswith("scancode_"):
        info = m.fields.get("ScanCodeInfo") or {}
        return _cut(str(info.get("ScanResult", ""))) if isinstance(info, dict) else ""
    if key.startswith("pic_"):
        info = m.fields.get("SendPicsInfo") or {}
        count = info.get("Count", "") if isinstance(info, dict) else ""
        return _("%(count)s photo(s); they follow as image messages") % {"count": count}
    if key == "masssendjobfinish":
        return _cut(f"{f('Status')} · {f('SentCount')}/{f('TotalCount')}")
    if key == "publishjobfinish":
        info = m.fields.get("PublishEventInfo") or {}
        if isinstance(info, dict):
            return (
                f"publish_id {info.get('publish_id', '')} · status {info.get('publish_status', '')}"
            )
        return ""
    if key == "templatesendjobfinish":
        return f("Status")
    return ""


def message_rows(*, user, account: WeChatAccount, messages, revealed: bool = False) -> list[Row]:
    """The rows of the message log; ``revealed`` (after an audited reveal, for those with
    personal_data.view) shows what citizens wrote in full and their openids."""
    personal = may(user, Action.PERSONAL_DATA_VIEW, account)
    revealed = revealed and personal
    messages = list(messages)
    buttons = _button_names(account, messages)
    rows = []
    for m in messages:
        key = m.event.lower() if m.kind == "event" else m.msg_type
        label = _TYPES.get(key)
        rows.append(
            Row(
                message=m,
                type_label=label() if label else (m.event or m.msg_type),
                preview=preview(
                    m, personal=personal, revealed=revealed, button=buttons.get(m.pk, "")
                ),
                sender=m.from_user if revealed else pseudonym(m.from_user, account_id=account.pk),
            )
        )
    return rows


def keyword_replies(*, user, account: WeChatAccount) -> QuerySet[KeywordReply]:
    require(user, REPLIES_VIEW, account)
    return KeywordReply.objects.filter(account=account).order_by("keyword")


def menu_click_replies(*, user, account: WeChatAccount) -> QuerySet[MenuClickReply]:
    require(user, REPLIES_VIEW, account)
    return MenuClickReply.objects.filter(account=account).order_by("event_key")


def reply_get(*, user, model, pk: int):
    obj = get_object_or_404(model.objects.select_related("account"), pk=pk)
    require(user, REPLIES_VIEW, obj.account)
    return obj


# --- changes awaiting the office's approval ---------------------------------------------------


def content_changes(*, user, account: WeChatAccount, pending: bool = False):
    require(user, CHANGES_VIEW, account)
    qs = ContentChange.objects.filter(account=account).select_related("drafted_by")
    if pending:
        qs = qs.filter(state=ChangeState.PENDING)
    return qs.prefetch_related("reviews__reviewer")


def content_change_get(*, user, pk: int) -> ContentChange:
    change = get_object_or_404(ContentChange.objects.select_related("account", "drafted_by"), pk=pk)
    require(user, CHANGES_VIEW, change.account)
    return change


def pending_changes_count(*, account: WeChatAccount) -> int:
    return ContentChange.objects.filter(account=account, state=ChangeState.PENDING).count()
