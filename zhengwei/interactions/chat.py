"""The chat intake of 我报灾情, plugged into the inbound dispatch registry.

Handlers run after the message is stored and acknowledged, once, in the processing transaction:

* the 「我报灾情」 CLICK key (REPORT_CHAT_MENU_KEYS), a start word (我报灾情, 报灾), a location
  (message or ``location_select``) or photos (``pic_*`` events and the image messages that follow)
  open the citizen's ``ChatDraft``; voice (its Recognition text) and text join it while it is
  open (REPORT_CHAT_WINDOW_MINUTES since the last message);
* 确认 / 提交 turns the draft into a report, 取消 discards it;
* before the draft, always: 不满意 within the reopen window reopens the citizen's resolved report
  (or the one theirs was merged into), and "1".."5" answers a pending rating request;
* outside a draft everything else goes to the 互动 inbox. A draft closes as soon as the citizen's
  report is filed by any channel (the H5 form too), so later replies never land in it.

Instant answers are passive replies (providers below, no database writes): the instructions with
the signed H5 link on the menu click, and a receipt for a location or a batch of photos. The ticket
number cannot be passive — the report is created after storage, by the handler — so it goes out
as a customer-service message inside the 48-hour window the citizen's own messages just opened,
normally well under a second after 确认 (see docs/guide/interactions.md).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from zhengwei.interactions import classify, conf, services, wording
from zhengwei.interactions.errors import IllegalMove
from zhengwei.interactions.models import DraftStart
from zhengwei.newsroom.binding import bind_code_in
from zhengwei.reports import links
from zhengwei.reports.actors import Citizen
from zhengwei.wechat.inbound.dispatch import on_event, on_message, passive, settled
from zhengwei.wechat.inbound.keys import account_keys

log = logging.getLogger("zhengwei.interactions.chat")
PIC_EVENTS = ("pic_photo_or_album", "pic_sysphoto", "pic_weixin")


def _citizen(message) -> Citizen:
    return Citizen(openid=message.from_user, proof="wechat")


def _when(message):
    return message.received_at or timezone.now()


def _open(message, how: str):
    draft, _created = services.chat_draft_open(
        actor=_citizen(message), account=message.account, how=how, now=_when(message)
    )
    return draft


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- handlers
@on_event("click")
def report_menu_clicked(message) -> None:
    if message.event_key in conf.menu_keys():
        _open(message, DraftStart.MENU)


def _located(message, source: dict) -> None:
    lat, lng = _float(source.get("Location_X")), _float(source.get("Location_Y"))
    if lat is None or lng is None:
        return
    label = source.get("Poiname") or source.get("Label") or ""
    draft = _open(message, DraftStart.LOCATION)
    try:
        services.chat_draft_add_location(
            actor=_citizen(message),
            draft=draft,
            lat=lat,
            lng=lng,
            label=label if isinstance(label, str) else "",
            now=_when(message),
        )
    except ValidationError:
        log.info("impossible location from %s ignored", message.from_user)


@on_event("location_select")
def location_selected(message) -> None:
    info = message.fields.get("SendLocationInfo")
    if isinstance(info, dict):
        _located(message, info)


@on_message("location")
def location_sent(message) -> None:
    _located(message, message.fields or {})


def photos_announced(message) -> None:
    _open(message, DraftStart.PHOTO)


for _event in PIC_EVENTS:
    on_event(_event)(photos_announced)


@on_message("image")
def photo_sent(message) -> None:
    draft = _open(message, DraftStart.PHOTO)
    added = services.chat_draft_add_photo(
        actor=_citizen(message),
        draft=draft,
        media_id=message.field("MediaId"),
        pic_url=message.field("PicUrl"),
        message_id=message.pk,
        now=_when(message),
    )
    if not added:
        log.info("draft %s is full; photo %s not added", draft.pk, message.pk)


@on_message("text")
def text_sent(message) -> None:
    _words(message, message.field("Content"), "text")


@on_message("voice")
def voice_sent(message) -> None:
    _words(message, message.field("Recognition"), "voice")


@on_message("link")
def link_sent(message) -> None:
    text = " ".join(p for p in (message.field("Title"), message.field("Url")) if p)
    services.conversation_receive_message(message=message, text=text, kind="link")


def _words(message, text: str, kind: str) -> None:
    if kind == "text" and bind_code_in(text):  # staff binding their WeChat for previews
        return
    account, now = message.account, _when(message)
    citizen = _citizen(message)
    # What answers an earlier message goes where it belongs even while a draft is open:
    # 不满意 about a resolved report, a rating that was asked for.
    if classify.starts_with_one_of(text, conf.REJECT_WORDS) and services.citizen_reject_from_chat(
        actor=citizen, account=account, text=text, now=now
    ):
        return
    rating = classify.rating_in(text)
    if rating and services.citizen_rate_from_chat(actor=citizen, account=account, rating=rating):
        return
    draft = services.chat_draft_current(account=account, openid=citizen.openid, now=now)
    if draft is not None:
        if classify.is_one_of(text, conf.CONFIRM_WORDS):
            _confirm(message, draft, now)
        elif classify.is_one_of(text, conf.CANCEL_WORDS):
            services.chat_draft_cancel(actor=citizen, draft=draft, now=now)
            services.citizen_chat_reply(
                account=account, openid=citizen.openid, text=wording.draft_cancelled()
            )
        else:
            services.chat_draft_add_text(
                actor=citizen, draft=draft, text=text, kind=kind, message_id=message.pk, now=now
            )
        return
    if classify.is_one_of(text, conf.START_WORDS):
        _open(message, DraftStart.KEYWORD)
        return
    if classify.is_one_of(text, conf.CONFIRM_WORDS):
        services.citizen_chat_reply(
            account=account, openid=citizen.openid, text=wording.draft_empty()
        )
        return
    # Answered in the passive reply (雨情 with the data): nothing waits for a person.
    if settled(message):
        return
    services.conversation_receive_message(
        message=message, text=text or ("[语音]" if kind == "voice" else ""), kind=kind
    )


def _confirm(message, draft, now) -> None:
    try:
        services.chat_draft_confirm(actor=_citizen(message), draft=draft, submitted_at=now)
    except IllegalMove:
        return
    except ValidationError as exc:
        services.citizen_chat_reply(
            account=message.account,
            openid=message.from_user,
            text=" ".join(exc.messages) or wording.draft_empty(),
        )


# --------------------------------------------------------------------- passive replies
def _instructions(parsed) -> str | None:
    keys = account_keys(parsed.to_user)
    if keys is None:
        return None
    link = conf.absolute(links.h5_link(account_id=keys.id, openid=parsed.from_user))
    return wording.instructions(link)


@passive("click")
def report_menu_instructions(parsed) -> str | None:
    if parsed.event_key not in conf.menu_keys():
        return None
    return _instructions(parsed)


@passive("text")
def report_keyword_instructions(parsed) -> str | None:
    if classify.is_one_of(parsed.content or "", conf.START_WORDS):
        return _instructions(parsed)
    return None


@passive("location")
def location_receipt(parsed) -> str | None:
    if parsed.kind != "message":  # the periodic LOCATION event is not a report
        return None
    return wording.location_received()


def photos_receipt(parsed) -> str | None:
    info = parsed.fields.get("SendPicsInfo")
    count = info.get("Count", "") if isinstance(info, dict) else ""
    return wording.photos_received(str(count))


for _event in PIC_EVENTS:
    passive(_event)(photos_receipt)
