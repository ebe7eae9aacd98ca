"""Every change in citizen interaction goes through here.

Three groups:

* **Chat intake** (actor: the ``Citizen`` WeChat's signed callback identified): a location, photos,
  voice and text build a ``ChatDraft``; 确认 turns it into a report through reports'
  ``report_receive`` (channel chat). Appending to a draft is bookkeeping and is not audited (the
  stored inbound message is the record); starting, confirming and abandoning are.
* **Messages to reporters** (actor: the system, or the officer whose step it is): every public
  step of a report with a WeChat reporter becomes a customer-service message, worded by the
  office's ``ReplyTemplate`` for the new state; after resolution the citizen is asked for a 1–5
  rating, and their answer in chat is recorded through ``report_rate`` (or, for 不满意,
  ``report_citizen_reject_closure``).
* **The 互动 inbox** (actor: a signed-in person): conversations built from messages and article
  comments are classified, assigned, answered and resolved; a contractor's reply is a draft that
  an office member approves or returns before it is sent.

Events (payloads carry ids, never personal data):
    chat_draft.started / .confirmed / .abandoned     draft_id, account_id[, report_id]
    citizen_notice.sent                              notice_id, report_id, account_id
    conversation.received / .classified / .assigned / .replied / .resolved / .reopened /
    .converted / .escalated                          conversation_id, account_id[, …]
    reply_draft.submitted / .approved / .returned / .sent / .failed
                                                     draft_id, conversation_id, account_id
    reply_template.saved                             account_id, state
"""

from __future__ import annotations

import logging
from datetime import datetime

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import may, require
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.interactions import classify, conf, sending, wording
from zhengwei.interactions import policy as P
from zhengwei.interactions.errors import IllegalMove
from zhengwei.interactions.models import (
    Category,
    Channel,
    ChatDraft,
    CitizenNotice,
    Conversation,
    ConversationState,
    ConversationStep,
    DraftState,
    InboxItem,
    NoticeKind,
    ReplyDraft,
    ReplyReview,
    ReplyState,
    ReplyTemplate,
    ReviewOutcome,
    StepKind,
)
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import OrgKind, User, WeChatAccount
from zhengwei.orgs.selectors import escalation_targets
from zhengwei.reports import ratelimit
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel as ReportChannel
from zhengwei.reports.models import Datum, Hazard, Report, ReportStep
from zhengwei.reports.models import State as ReportState
from zhengwei.reports.workflow import IllegalTransition
from zhengwei.wechat.outbound.errors import PrivilegeError, WeChatError

log = logging.getLogger("zhengwei.interactions")

CONVERSATION_EVENTS = (
    "conversation.received",
    "conversation.classified",
    "conversation.assigned",
    "conversation.replied",
    "conversation.resolved",
    "conversation.reopened",
    "conversation.converted",
    "conversation.escalated",
    "reply_draft.submitted",
    "reply_draft.approved",
    "reply_draft.returned",
    "reply_draft.sent",
    "reply_draft.failed",
)
MAX_DRAFT_PHOTOS = 9
MAX_DRAFT_TEXTS = 30
CITIZEN = "市民"
SYSTEM = "系统"


class RateLimited(ValidationError):
    """The citizen sent too many reports in the window (reports.ratelimit)."""


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission for this action."))


# =============================================================================== chat intake
def _own(actor, draft: ChatDraft) -> None:
    if not isinstance(actor, Citizen) or not actor.openid or actor.openid != draft.openid:
        raise _denied()


def _require_collecting(draft: ChatDraft) -> None:
    if draft.state != DraftState.COLLECTING:
        raise IllegalMove(_("The report has already been submitted or discarded."))


def _own_collecting(actor, draft: ChatDraft) -> None:
    """The citizen's own draft, still collecting."""
    _own(actor, draft)
    _require_collecting(draft)


def _fresh(draft: ChatDraft, now: datetime) -> bool:
    return now - draft.updated_at <= conf.chat_window()


def chat_draft_current(*, account: WeChatAccount, openid: str, now=None) -> ChatDraft | None:
    """The citizen's collecting draft if it is still inside the window (a stale one is expired)."""
    now = now or timezone.now()
    draft = ChatDraft.objects.filter(
        account=account, openid=openid, state=DraftState.COLLECTING
    ).first()
    if draft is None:
        return None
    if _fresh(draft, now):
        return draft
    _expire(draft, now)
    return None


def chat_draft_open(
    *, actor: Citizen, account: WeChatAccount, how: str, now=None
) -> tuple[ChatDraft, bool]:
    """The citizen's current draft, or a new one. Returns (draft, created)."""
    now = now or timezone.now()
    current = chat_draft_current(account=account, openid=actor.openid, now=now)
    if current is not None:
        return current, False
    try:
        with transaction.atomic():
            draft = ChatDraft.objects.create(
                account=account,
                openid=actor.openid,
                started_how=how,
                started_at=now,
                updated_at=now,
            )
            audit_record(
                actor_name=CITIZEN, action="chat_draft.start", obj=draft, after={"how": how}
            )
            publish_on_commit("chat_draft.started", draft_id=draft.pk, account_id=account.pk)
    except IntegrityError:
        # Another worker opened it a moment ago for the same citizen (one collecting draft each).
        draft = ChatDraft.objects.get(
            account=account, openid=actor.openid, state=DraftState.COLLECTING
        )
        return draft, False
    return draft, True


def _touch(draft: ChatDraft, now: datetime, fields: list[str]) -> None:
    draft.updated_at = max(draft.updated_at, now)
    draft.save(update_fields=[*fields, "updated_at"])


def chat_draft_add_location(
    *, actor: Citizen, draft: ChatDraft, lat: float, lng: float, label: str = "", now=None
) -> ChatDraft:
    _own_collecting(actor, draft)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError(_("The location is outside the valid range."))
    draft.lat, draft.lng = lat, lng
    if label:
        draft.location_label = label[:200]
    _touch(draft, now or timezone.now(), ["lat", "lng", "location_label"])
    return draft


def chat_draft_add_photo(
    *, actor: Citizen, draft: ChatDraft, media_id: str, pic_url: str, message_id: int, now=None
) -> bool:
    """Add one photo; False when the draft already holds the most a report takes."""
    _own_collecting(actor, draft)
    if any(p.get("message_id") == message_id for p in draft.photos):
        return True
    if len(draft.photos) >= MAX_DRAFT_PHOTOS:
        return False
    draft.photos = [
        *draft.photos,
        {"media_id": media_id[:200], "pic_url": pic_url[:500], "message_id": message_id},
    ]
    _touch(draft, now or timezone.now(), ["photos"])
    return True


def chat_draft_add_text(
    *, actor: Citizen, draft: ChatDraft, text: str, kind: str, message_id: int, now=None
) -> ChatDraft:
    _own_collecting(actor, draft)
    text = (text or "").strip()[:1000]
    if text and len(draft.texts) < MAX_DRAFT_TEXTS:
        draft.texts = [*draft.texts, {"kind": kind, "text": text, "message_id": message_id}]
    _touch(draft, now or timezone.now(), ["texts"])
    return draft


def chat_draft_confirm(
    *, actor: Citizen, draft: ChatDraft, submitted_at: datetime | None = None, now=None
) -> Report:
    """确认: the draft becomes a report (channel chat). The ticket number reaches the citizen as
    the report's first step (see citizen_notify_step); the photos follow by a task.
    ``submitted_at``: when the citizen sent 确认 (the clock of every acknowledgement metric)."""
    _own_collecting(actor, draft)
    now = now or timezone.now()
    if draft.is_empty:
        raise ValidationError(wording.draft_empty())
    if not ratelimit.hit(ratelimit.keys_for(openid=actor.openid)):
        raise RateLimited(wording.draft_limited())
    description = draft.description
    with transaction.atomic():
        list(ChatDraft.objects.select_for_update().filter(pk=draft.pk).values_list("pk"))
        draft.refresh_from_db()
        _require_collecting(draft)
        report = reports.report_receive(
            actor=actor,
            account=draft.account,
            channel=ReportChannel.CHAT,
            hazard=classify.suggest_hazard(description),
            description=description,
            lives_in_danger=classify.lives_in_danger(description),
            lat=draft.lat,
            lng=draft.lng,
            # WeChat's location message and location_select give GCJ-02 (腾讯地图) coordinates.
            datum=Datum.GCJ02,
            address=draft.location_label,
            submitted_at=submitted_at or now,
            internal_note=_("From chat: %(photos)d photo(s), %(texts)d message(s).")
            % {"photos": len(draft.photos), "texts": len(draft.texts)},
            now=now,
        )
        draft.state = DraftState.CONFIRMED
        draft.confirmed_at = now
        draft.report = report
        draft.save(update_fields=["state", "confirmed_at", "report"])
        audit_record(
            actor_name=CITIZEN,
            action="chat_draft.confirm",
            obj=draft,
            after={"report": report.ticket, "photos": len(draft.photos)},
        )
        publish_on_commit(
            "chat_draft.confirmed",
            draft_id=draft.pk,
            account_id=draft.account_id,
            report_id=report.pk,
        )
        if draft.photos:
            from zhengwei.interactions import tasks

            draft_id = draft.pk
            transaction.on_commit(lambda: tasks.chat_photos_attach.enqueue(draft_id))
    return report


def chat_draft_cancel(*, actor: Citizen, draft: ChatDraft, now=None) -> ChatDraft:
    _own_collecting(actor, draft)
    now = now or timezone.now()
    with transaction.atomic():
        draft.state = DraftState.ABANDONED
        draft.abandoned_at = now
        draft.save(update_fields=["state", "abandoned_at"])
        audit_record(actor_name=CITIZEN, action="chat_draft.cancel", obj=draft)
        publish_on_commit("chat_draft.abandoned", draft_id=draft.pk, account_id=draft.account_id)
    return draft


def _expire(draft: ChatDraft, now: datetime) -> Conversation | None:
    """A draft the citizen never confirmed: closed, and — so that no report is lost — what it
    holds goes to the inbox as a disaster conversation the office can turn into a report."""
    with transaction.atomic():
        updated = ChatDraft.objects.filter(pk=draft.pk, state=DraftState.COLLECTING).update(
            state=DraftState.ABANDONED, abandoned_at=now
        )
        if not updated:
            return None
        draft.state, draft.abandoned_at = DraftState.ABANDONED, now
        audit_record(actor_name=SYSTEM, action="chat_draft.expire", obj=draft)
        publish_on_commit("chat_draft.abandoned", draft_id=draft.pk, account_id=draft.account_id)
        if draft.is_empty:
            return None
        return _conversation_from_draft(draft, now)


def chat_drafts_expire(*, now=None) -> int:
    """Expire every collecting draft older than the window (run by interactions_tick)."""
    now = now or timezone.now()
    stale = ChatDraft.objects.filter(
        state=DraftState.COLLECTING, updated_at__lt=now - conf.chat_window()
    )
    count = 0
    for draft in list(stale.select_related("account")[:1000]):
        _expire(draft, now)
        count += 1
    return count


def chat_draft_attach_photos(*, draft_id: int) -> int:
    """Fetch the draft's photos from WeChat and add them to its report (system, from a task).

    Temporary media are downloaded with the account's token (``media/get``, kept 3 days); if that
    fails, the PicUrl WeChat gave is tried. Files that are not acceptable photos are skipped and
    noted on the draft, never sent on."""
    from zhengwei.reports.photos import clean_photo
    from zhengwei.wechat.outbound.client import WeChatClient

    draft = ChatDraft.objects.select_related("account", "report").filter(pk=draft_id).first()
    if draft is None or draft.report is None or draft.photos_attached:
        return 0
    client = WeChatClient(draft.account)
    good: list[bytes] = []
    errors: list[str] = []
    for photo in draft.photos:
        data = _download(client, photo, errors)
        if data is None:
            continue
        try:
            clean_photo(data)
        except ValidationError as exc:
            errors.append("; ".join(exc.messages)[:200])
            continue
        good.append(data)
    if good:
        try:
            reports.report_add_photos(
                actor=Citizen(openid=draft.openid, proof="wechat"),
                report=draft.report,
                photos=good,
                note=_("Photos sent in chat."),
            )
        except (ValidationError, PermissionDenied) as exc:
            errors.append(str(exc)[:200])
            good = []
    with transaction.atomic():
        draft.photos_attached = len(good)
        draft.photo_errors = errors[:20]
        draft.save(update_fields=["photos_attached", "photo_errors"])
        audit_record(
            actor_name=SYSTEM,
            action="chat_draft.attach_photos",
            obj=draft,
            after={"attached": len(good), "errors": len(errors)},
        )
    refused = len(draft.photos) - len(good)
    if refused:
        citizen_chat_reply(
            account=draft.account,
            openid=draft.openid,
            text=wording.photos_refused(refused, draft.report.ticket),
        )
    return len(good)


def _download(client, photo: dict, errors: list[str]) -> bytes | None:
    """The photo's bytes: media/get with the account's token, else the PicUrl (both came in the
    signed callback). An error is noted only when neither worked."""
    limit = getattr(settings, "REPORT_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
    problems = []
    if photo.get("media_id"):
        try:
            data = client.media_get(photo["media_id"])
            if isinstance(data, bytes) and data:
                return data
        except WeChatError as exc:
            problems.append(f"media/get: {exc}")
    url = photo.get("pic_url") or ""
    if url.startswith(("http://", "https://")):
        try:
            with requests.get(url, timeout=settings.WECHAT_HTTP_TIMEOUT, stream=True) as resp:
                resp.raise_for_status()
                data = resp.raw.read(limit + 1, decode_content=True)
            if data:
                return data
        except (requests.RequestException, OSError) as exc:
            problems.append(f"PicUrl: {type(exc).__name__}")
    errors.append(("; ".join(problems) or "no media id or PicUrl")[:200])
    return None


# ====================================================================== messages to reporters
def template_for(account: WeChatAccount, state: str) -> tuple[str, bool]:
    row = ReplyTemplate.objects.filter(account=account, state=state).first()
    if row is not None:
        return row.text, row.active
    text, active = wording.DEFAULTS.get(state, ("", False))
    return str(text), active


def _compose(step: ReportStep) -> tuple[str, str, bool]:
    """(text, state, asks_rating) for one step of a report; text "" when nothing is sent."""
    report = step.report
    note = step.public_note or ""
    custom = note if note and note != wording.default_note(step.kind, report) else ""
    if step.to_state and step.from_state != step.to_state:
        text, active = template_for(report.account, step.to_state)
        if active:
            rendered = wording.render(text, wording.values_for(report, note=custom))
            return rendered, step.to_state, step.to_state == ReportState.RESOLVED
        return custom, step.to_state, False
    return note, "", False


def citizen_notify_step(*, step_id: int) -> CitizenNotice | None:
    """Tell a WeChat reporter about one step of their report (system; from report.step_added)."""
    step = (
        ReportStep.objects.select_related("report__account", "report__assigned_unit", "actor")
        .filter(pk=step_id)
        .first()
    )
    if step is None or not step.report.reporter_openid:
        return None
    if CitizenNotice.objects.filter(step=step).exists():
        return None
    text, state, asks = _compose(step)
    if not text.strip():
        return None
    report = step.report
    try:
        with transaction.atomic():
            message = sending.send_text(
                actor=sending.sender_for(step.actor, report.account),
                account=report.account,
                openid=report.reporter_openid,
                text=text,
                reference=f"report:{report.pk}",
            )
            notice = CitizenNotice.objects.create(
                account=report.account,
                report=report,
                step=step,
                openid=report.reporter_openid,
                kind=NoticeKind.STEP,
                state=state,
                text=text,
                outbound=message,
                asks_rating=asks,
            )
            publish_on_commit(
                "citizen_notice.sent",
                notice_id=notice.pk,
                report_id=report.pk,
                account_id=report.account_id,
            )
    except (PrivilegeError, WeChatError, PermissionDenied) as exc:
        log.warning("could not message the reporter of %s: %s", report.ticket, exc)
        return None
    return notice


def citizen_notify_merged(*, report_ids: list[int], parent_id: int) -> int:
    """Reporters whose reports followed a merge without a step of their own (system)."""
    parent = Report.objects.filter(pk=parent_id).first()
    if parent is None:
        return 0
    sent = 0
    for report in Report.objects.select_related("account").filter(pk__in=report_ids):
        if not report.reporter_openid:
            continue
        text = wording.merged_notice(report, parent)
        try:
            with transaction.atomic():
                message = sending.send_text(
                    actor=None,
                    account=report.account,
                    openid=report.reporter_openid,
                    text=text,
                    reference=f"report:{report.pk}",
                )
                CitizenNotice.objects.create(
                    account=report.account,
                    report=report,
                    openid=report.reporter_openid,
                    kind=NoticeKind.MERGE,
                    state=report.state,
                    text=text,
                    outbound=message,
                )
            sent += 1
        except (PrivilegeError, WeChatError) as exc:
            log.warning("could not message the reporter of %s: %s", report.ticket, exc)
    return sent


def _rating_notice(account: WeChatAccount, openid: str, now: datetime) -> CitizenNotice | None:
    """The citizen's rating request still waiting for an answer, about a report (or None)."""
    notice = (
        CitizenNotice.objects.select_related("report")
        .filter(
            account=account,
            openid=openid,
            asks_rating=True,
            answered_at__isnull=True,
            created_at__gte=now - conf.rating_window(),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return notice if notice is not None and notice.report is not None else None


def _answer(notice: CitizenNotice, answer: str, now: datetime) -> None:
    notice.answered_at, notice.answer = now, answer
    notice.save(update_fields=["answered_at", "answer"])


def _chat_reply(account: WeChatAccount, openid: str, text: str, reference: str, report=None):
    message = sending.send_text(
        actor=None, account=account, openid=openid, text=text, reference=reference
    )
    CitizenNotice.objects.create(
        account=account,
        report=report,
        openid=openid,
        kind=NoticeKind.RATING_THANKS if report is not None else NoticeKind.CHAT,
        state=report.state if report is not None else "",
        text=text,
        outbound=message,
    )
    return message


def citizen_chat_reply(*, account: WeChatAccount, openid: str, text: str) -> None:
    """A short system answer in chat (e.g. "nothing to submit yet")."""
    try:
        with transaction.atomic():
            _chat_reply(account, openid, text, f"chat:{openid}"[:64])
    except (PrivilegeError, WeChatError) as exc:
        log.warning("could not answer %s in chat: %s", openid, exc)


def citizen_rate_from_chat(
    *, actor: Citizen, account: WeChatAccount, rating: int, now=None
) -> bool:
    """A "1".."5" answering the rating request; False when none is pending (not a rating)."""
    now = now or timezone.now()
    notice = _rating_notice(account, actor.openid, now)
    if notice is None:
        return False
    with transaction.atomic():
        try:
            reports.report_rate(
                actor=actor, report=notice.report, rating=rating, comment=_("Rated in chat.")
            )
            text = wording.rating_thanks(rating)
        except IllegalTransition:
            text = wording.already_rated()
        _answer(notice, str(rating), now)
        try:
            _chat_reply(account, actor.openid, text, f"report:{notice.report_id}", notice.report)
        except (PrivilegeError, WeChatError) as exc:
            log.warning("could not thank %s: %s", actor.openid, exc)
    return True


def citizen_reject_from_chat(
    *, actor: Citizen, account: WeChatAccount, text: str, now=None
) -> bool:
    """不满意 after a resolution: the report is reopened and supervised (督办)."""
    now = now or timezone.now()
    notice = _rating_notice(account, actor.openid, now)
    if notice is None:
        return False
    with transaction.atomic():
        try:
            reports.report_citizen_reject_closure(actor=actor, report=notice.report, reason=text)
        except IllegalTransition:
            return False
        _answer(notice, "reject", now)
    return True


def reply_template_save(
    *, actor: User, account: WeChatAccount, state: str, text: str, active: bool
) -> ReplyTemplate:
    require(actor, P.TEMPLATES_MANAGE, account)
    if state not in ReportState.values:
        raise ValidationError({"state": [_("Unknown report state.")]})
    text = (text or "").strip()
    problems = wording.check_template(text)
    if not text:
        problems.append(_("Write the message."))
    if len(text) > 600:
        problems.append(_("The message may be at most 600 characters."))
    if problems:
        raise ValidationError({"text": problems})
    with transaction.atomic():
        row = ReplyTemplate.objects.filter(account=account, state=state).first()
        before = snapshot(row, ["text", "active"]) if row else None
        if row is None:
            row = ReplyTemplate(account=account, state=state)
        row.text, row.active = text, bool(active)
        row.updated_by, row.updated_at = actor, timezone.now()
        row.save()
        b, a = diff(before, snapshot(row, ["text", "active"]))
        audit_record(actor=actor, action="reply_template.save", obj=row, before=b, after=a)
        publish_on_commit("reply_template.saved", account_id=account.pk, state=state)
    return row


def reply_templates_seed(*, account: WeChatAccount) -> int:
    """Write the default templates as the account's own rows (system; demo and new accounts)."""
    created = 0
    with transaction.atomic():
        for state, (text, active) in wording.DEFAULTS.items():
            _row, made = ReplyTemplate.objects.get_or_create(
                account=account, state=state, defaults={"text": str(text), "active": active}
            )
            created += int(made)
        if created:
            audit_record(
                actor_name=SYSTEM,
                action="reply_template.seed",
                obj=account,
                note=f"{created} templates",
            )
    return created


# ============================================================================== the 互动 inbox
def _conv_step(
    conversation: Conversation, kind: str, *, actor=None, note: str = "", data=None, at=None
) -> ConversationStep:
    return ConversationStep.objects.create(
        conversation=conversation,
        kind=kind,
        actor=actor if isinstance(actor, User) else None,
        actor_label="" if isinstance(actor, User) else (actor or SYSTEM),
        at=at or timezone.now(),
        note=(note or "").strip()[:1000],
        data=data or {},
    )


def _publish(name: str, conversation: Conversation, **extra) -> None:
    publish_on_commit(
        name, conversation_id=conversation.pk, account_id=conversation.account_id, **extra
    )


def _set_deadlines(conversation: Conversation) -> None:
    category = conversation.effective_category
    conversation.first_response_due = conversation.created_at + conf.deadline(
        category, "first_response"
    )
    conversation.resolution_due = conversation.created_at + conf.deadline(category, "resolution")


def _new_conversation(
    *, account, channel, openid, text, at, comment=None, auto_replied=False
) -> Conversation:
    conversation = Conversation(
        account=account,
        channel=channel,
        openid=openid,
        comment=comment,
        preview=" ".join((text or "").split())[:200],
        suggested_category=classify.suggest_category(text),
        created_at=at,
        last_item_at=at,
        auto_replied=auto_replied,
        first_response_at=at if auto_replied else None,
    )
    _set_deadlines(conversation)
    conversation.save()
    return conversation


def conversation_receive_message(*, message, text: str, kind: str) -> Conversation:
    """A citizen's message that is not part of a report (system, from the dispatch handler):
    appended to their open conversation, or the start of a new one."""
    return conversation_receive(
        account=message.account,
        openid=message.from_user,
        text=text,
        kind=kind,
        at=message.received_at or timezone.now(),
        inbound_message=message,
        auto_reply=_reply_text(message.reply_xml),
    )


def conversation_receive(
    *,
    account: WeChatAccount,
    openid: str,
    text: str,
    kind: str,
    at: datetime,
    inbound_message=None,
    auto_reply: str = "",
) -> Conversation:
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update()
            .filter(
                account=account,
                openid=openid,
                channel=Channel.MESSAGE,
                state__in=[ConversationState.NEW, ConversationState.OPEN],
            )
            .order_by("-last_item_at")
            .first()
        )
        created = conversation is None
        if created:
            conversation = _new_conversation(
                account=account,
                channel=Channel.MESSAGE,
                openid=openid,
                text=text,
                at=at,
                auto_replied=bool(auto_reply),
            )
            _conv_step(conversation, StepKind.RECEIVED, actor=CITIZEN, at=at)
        else:
            conversation.last_item_at = at
            # A message that reads like a disaster raises the suggestion, never lowers it.
            if classify.suggest_category(text) == Category.DISASTER and not conversation.category:
                conversation.suggested_category = Category.DISASTER
                _set_deadlines(conversation)
            conversation.save()
        InboxItem.objects.create(
            conversation=conversation,
            inbound_message=inbound_message,
            kind=kind,
            text=(text or "")[:2000],
            auto_reply=auto_reply,
            at=at,
        )
        _publish("conversation.received", conversation, created=created)
    return conversation


def _reply_text(reply_xml: str) -> str:
    if not reply_xml:
        return ""
    from zhengwei.lib import wxxml

    try:
        return str(wxxml.xml_to_dict(reply_xml).get("Content", ""))[:600]
    except wxxml.XMLRejected:
        return ""


def conversation_receive_comments(*, account: WeChatAccount, user_comment_ids=None) -> int:
    """New article comments become conversations (system, from wechat_comment.received)."""
    from zhengwei.wechat.outbound.models import Comment

    qs = Comment.objects.filter(account=account, deleted=False)
    if user_comment_ids is not None:
        qs = qs.filter(user_comment_id__in=list(user_comment_ids))
    known = set(
        Conversation.objects.filter(account=account, comment__in=qs).values_list(
            "comment_id", flat=True
        )
    )
    created = 0
    for comment in qs.order_by("created", "id"):
        if comment.pk in known:
            continue
        with transaction.atomic():
            answered = bool(comment.reply)
            conversation = _new_conversation(
                account=account,
                channel=Channel.COMMENT,
                openid=comment.openid,
                text=comment.content,
                at=comment.created,
                comment=comment,
            )
            if answered:  # answered already in WeChat's own back office
                conversation.first_response_at = comment.reply_at or comment.created
                conversation.save(update_fields=["first_response_at"])
            InboxItem.objects.create(
                conversation=conversation,
                comment=comment,
                kind="comment",
                text=comment.content[:2000],
                at=comment.created,
            )
            _conv_step(conversation, StepKind.RECEIVED, actor=CITIZEN, at=comment.created)
            _publish("conversation.received", conversation, created=True)
        created += 1
    return created


def _conversation_from_draft(draft: ChatDraft, now: datetime) -> Conversation:
    parts = []
    if draft.location_label or draft.has_location:
        parts.append(
            _("Location: %(place)s")
            % {"place": draft.location_label or f"{draft.lat:.5f}, {draft.lng:.5f}"}
        )
    if draft.photos:
        parts.append(_("%(n)d photo(s)") % {"n": len(draft.photos)})
    parts += [t.get("text", "") for t in draft.texts if t.get("text")]
    text = _("Unsubmitted disaster report from chat:") + " " + "；".join(parts)
    conversation = _new_conversation(
        account=draft.account, channel=Channel.MESSAGE, openid=draft.openid, text=text, at=now
    )
    conversation.suggested_category = Category.DISASTER
    _set_deadlines(conversation)
    conversation.save()
    InboxItem.objects.create(conversation=conversation, kind="draft", text=text[:2000], at=now)
    _conv_step(conversation, StepKind.RECEIVED, data={"draft": draft.pk}, at=now)
    _publish("conversation.received", conversation, created=True)
    return conversation


# --- who may see and handle a conversation ----------------------------------------------------
def _check(actor, action: str, conversation: Conversation) -> None:
    require(actor, action, conversation)
    if not P.conversation_visible(actor, conversation):
        raise _denied()


def _lock(conversation: Conversation) -> Conversation:
    list(Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk"))
    conversation.refresh_from_db()
    return conversation


def _confirm_class(conversation: Conversation, actor, now: datetime) -> None:
    """Handling an unclassified conversation confirms the suggested class."""
    if conversation.state != ConversationState.NEW:
        return
    conversation.category = conversation.category or conversation.suggested_category
    conversation.classified_by, conversation.classified_at = actor, now
    conversation.state = ConversationState.OPEN
    _conv_step(
        conversation,
        StepKind.CLASSIFIED,
        actor=actor,
        data={"category": conversation.category, "implicit": True},
        at=now,
    )


AUDIT_FIELDS = ["state", "category", "assignee", "escalation_level", "report"]


def conversation_classify(
    *, actor: User, conversation: Conversation, category: str, now=None
) -> Conversation:
    if category not in Category.values:
        raise ValidationError({"category": [_("Choose a class.")]})
    now = now or timezone.now()
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.INBOX_HANDLE, conversation)
        if not conversation.is_open:
            raise IllegalMove(_("The conversation is finished; reopen it first."))
        before = snapshot(conversation, AUDIT_FIELDS)
        conversation.category = category
        conversation.classified_by, conversation.classified_at = actor, now
        conversation.state = ConversationState.OPEN
        _set_deadlines(conversation)
        conversation.save()
        _conv_step(conversation, StepKind.CLASSIFIED, actor=actor, data={"category": category})
        b, a = diff(before, snapshot(conversation, AUDIT_FIELDS))
        audit_record(
            actor=actor, action="conversation.classify", obj=conversation, before=b, after=a
        )
        _publish("conversation.classified", conversation, category=category)
    return conversation


def conversation_assign(
    *, actor: User, conversation: Conversation, assignee: User | None, now=None
) -> Conversation:
    now = now or timezone.now()
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.INBOX_ASSIGN, conversation)
        if assignee is not None:
            if not may(assignee, P.REPLY_DRAFT, conversation.account):
                raise ValidationError(
                    {
                        "assignee": [
                            _("%(who)s cannot answer citizens on this account.") % {"who": assignee}
                        ]
                    }
                )
            if actor.org_kind == OrgKind.CONTRACTOR and assignee.org_kind != OrgKind.CONTRACTOR:
                raise ValidationError(
                    {"assignee": [_("The contractor assigns only its own staff.")]}
                )
            if not P.conversation_visible(assignee, conversation):
                raise ValidationError(
                    {"assignee": [_("Disaster conversations stay with the office.")]}
                )
        before = snapshot(conversation, AUDIT_FIELDS)
        conversation.assignee = assignee
        conversation.save()
        _conv_step(
            conversation,
            StepKind.ASSIGNED,
            actor=actor,
            data={"assignee": assignee.pk if assignee else None},
            at=now,
        )
        b, a = diff(before, snapshot(conversation, AUDIT_FIELDS))
        audit_record(actor=actor, action="conversation.assign", obj=conversation, before=b, after=a)
        _publish(
            "conversation.assigned", conversation, assignee_id=assignee.pk if assignee else None
        )
    return conversation


def conversation_resolve(
    *, actor: User, conversation: Conversation, note: str = "", now=None
) -> Conversation:
    now = now or timezone.now()
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.INBOX_HANDLE, conversation)
        if not conversation.is_open:
            raise IllegalMove(_("The conversation is already finished."))
        before = snapshot(conversation, AUDIT_FIELDS)
        _confirm_class(conversation, actor, now)
        conversation.state = ConversationState.RESOLVED
        conversation.resolved_at = now
        conversation.save()
        _conv_step(conversation, StepKind.RESOLVED, actor=actor, note=note, at=now)
        b, a = diff(before, snapshot(conversation, AUDIT_FIELDS))
        audit_record(
            actor=actor, action="conversation.resolve", obj=conversation, before=b, after=a
        )
        _publish("conversation.resolved", conversation)
    return conversation


def conversation_reopen(
    *, actor: User, conversation: Conversation, note: str = "", now=None
) -> Conversation:
    now = now or timezone.now()
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.INBOX_HANDLE, conversation)
        if conversation.state != ConversationState.RESOLVED:
            raise IllegalMove(_("Only a resolved conversation can be reopened."))
        conversation.state = ConversationState.OPEN
        conversation.resolved_at = None
        conversation.resolution_due = max(
            conversation.resolution_due,
            now + conf.deadline(conversation.effective_category, "resolution"),
        )
        conversation.save()
        _conv_step(conversation, StepKind.REOPENED, actor=actor, note=note, at=now)
        audit_record(actor=actor, action="conversation.reopen", obj=conversation, note=note[:200])
        _publish("conversation.reopened", conversation)
    return conversation


def conversation_convert(
    *,
    actor: User,
    conversation: Conversation,
    hazard: str,
    lives_in_danger: bool = False,
    description: str = "",
    now=None,
) -> Report:
    """灾情: the conversation becomes a disaster report from the citizen (channel chat)."""
    now = now or timezone.now()
    if hazard not in Hazard.values:
        raise ValidationError({"hazard": [_("Choose what happened.")]})
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.INBOX_CONVERT, conversation)
        if not conversation.is_open:
            raise IllegalMove(_("The conversation is already finished."))
        said = "\n".join(i.text for i in conversation.items.all() if i.text)
        draft = _draft_of(conversation)
        report = reports.report_receive(
            actor=Citizen(openid=conversation.openid, proof="wechat"),
            account=conversation.account,
            channel=ReportChannel.CHAT,
            hazard=hazard,
            description=(description or said)[:2000],
            lives_in_danger=bool(lives_in_danger),
            lat=draft.lat if draft else None,
            lng=draft.lng if draft else None,
            datum=Datum.GCJ02,
            address=draft.location_label if draft else "",
            submitted_at=conversation.created_at,
            internal_note=_("Turned into a report from conversation #%(id)s by %(who)s.")
            % {"id": conversation.pk, "who": actor},
            now=now,
        )
        before = snapshot(conversation, AUDIT_FIELDS)
        conversation.category = Category.DISASTER
        conversation.classified_by = conversation.classified_by or actor
        conversation.classified_at = conversation.classified_at or now
        conversation.state = ConversationState.CONVERTED
        conversation.report = report
        conversation.resolved_at = now
        conversation.first_response_at = conversation.first_response_at or now
        conversation.save()
        _conv_step(
            conversation, StepKind.CONVERTED, actor=actor, data={"report": report.ticket}, at=now
        )
        b, a = diff(before, snapshot(conversation, AUDIT_FIELDS))
        audit_record(
            actor=actor, action="conversation.convert", obj=conversation, before=b, after=a
        )
        _publish("conversation.converted", conversation, report_id=report.pk)
        if draft is not None and draft.photos and draft.report_id is None:
            draft.report = report
            draft.save(update_fields=["report"])
            from zhengwei.interactions import tasks

            draft_id = draft.pk
            transaction.on_commit(lambda: tasks.chat_photos_attach.enqueue(draft_id))
    return report


def _draft_of(conversation: Conversation) -> ChatDraft | None:
    step = conversation.steps.filter(kind=StepKind.RECEIVED, data__has_key="draft").first()
    if step is None:
        return None
    return ChatDraft.objects.filter(pk=step.data.get("draft")).first()


# --- replies --------------------------------------------------------------------------------
def _clean_reply(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the reply.")]})
    if len(text) > 600:
        raise ValidationError({"text": [_("A reply may be at most 600 characters.")]})
    return text


def _speaks_for_office(actor: User, conversation: Conversation, action: str) -> bool:
    """Office members holding ``action`` (send, or approve) speak for the government; nobody
    else does, whatever role they hold."""
    return actor.org_kind != OrgKind.CONTRACTOR and may(actor, action, conversation)


def reply_draft_submit(
    *, actor: User, conversation: Conversation, text: str, now=None
) -> ReplyDraft:
    """A reply for the office to approve (the contractor's way, or an office member's choice)."""
    text = _clean_reply(text)
    now = now or timezone.now()
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.REPLY_DRAFT, conversation)
        if not conversation.is_open:
            raise IllegalMove(_("The conversation is finished; reopen it first."))
        draft = ReplyDraft.objects.create(
            conversation=conversation, text=text, drafted_by=actor, drafted_at=now
        )
        _confirm_class(conversation, actor, now)
        conversation.save()
        _conv_step(conversation, StepKind.DRAFTED, actor=actor, data={"draft": draft.pk}, at=now)
        audit_record(actor=actor, action="reply_draft.submit", obj=draft, after={"text": text})
        publish_on_commit(
            "reply_draft.submitted",
            draft_id=draft.pk,
            conversation_id=conversation.pk,
            account_id=conversation.account_id,
        )
    return draft


def reply_draft_revise(*, actor: User, draft: ReplyDraft, text: str, now=None) -> ReplyDraft:
    """The drafter rewrites a returned draft; it goes back for approval."""
    text = _clean_reply(text)
    with transaction.atomic():
        _check(actor, P.REPLY_DRAFT, draft.conversation)
        if draft.drafted_by_id != actor.pk:
            raise _denied()
        before = snapshot(draft, ["text", "state"])
        draft.move_to(ReplyState.PENDING)
        draft.text = text
        draft.drafted_at = now or timezone.now()
        draft.save()
        b, a = diff(before, snapshot(draft, ["text", "state"]))
        audit_record(actor=actor, action="reply_draft.revise", obj=draft, before=b, after=a)
        publish_on_commit(
            "reply_draft.submitted",
            draft_id=draft.pk,
            conversation_id=draft.conversation_id,
            account_id=draft.conversation.account_id,
        )
    return draft


def reply_draft_withdraw(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    with transaction.atomic():
        _check(actor, P.REPLY_DRAFT, draft.conversation)
        if draft.drafted_by_id != actor.pk and not may(actor, P.REPLY_APPROVE, draft.conversation):
            raise _denied()
        draft.move_to(ReplyState.WITHDRAWN)
        draft.save(update_fields=["state"])
        audit_record(actor=actor, action="reply_draft.withdraw", obj=draft)
    return draft


def reply_send(*, actor: User, conversation: Conversation, text: str, now=None) -> ReplyDraft:
    """An office member answers directly: no review needed, it speaks for the government."""
    text = _clean_reply(text)
    now = now or timezone.now()
    with transaction.atomic():
        _lock(conversation)
        _check(actor, P.REPLY_SEND, conversation)
        if not _speaks_for_office(actor, conversation, P.REPLY_SEND):
            raise _denied()
        if not conversation.is_open:
            raise IllegalMove(_("The conversation is finished; reopen it first."))
        draft = ReplyDraft.objects.create(
            conversation=conversation,
            text=text,
            drafted_by=actor,
            drafted_at=now,
            direct=True,
            state=ReplyState.APPROVED,
        )
        audit_record(actor=actor, action="reply.send", obj=draft, after={"text": text})
    return _deliver(draft, actor=actor, now=now)


def reply_approve(
    *, actor: User, draft: ReplyDraft, comment: str = "", text: str | None = None, now=None
) -> ReplyDraft:
    """An office member approves a draft (optionally with small edits) and it is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        conversation = _lock(draft.conversation)
        _check(actor, P.REPLY_APPROVE, conversation)
        if not _speaks_for_office(actor, conversation, P.REPLY_APPROVE):
            raise _denied()
        if not conversation.is_open:
            raise IllegalMove(_("The conversation is finished; reopen it first."))
        before = snapshot(draft, ["text", "state"])
        draft.move_to(ReplyState.APPROVED)
        if text is not None and text.strip() and text.strip() != draft.text:
            draft.text = _clean_reply(text)
        draft.save()
        ReplyReview.objects.create(
            draft=draft,
            reviewer=actor,
            outcome=ReviewOutcome.APPROVED,
            comment=(comment or "").strip()[:1000],
            at=now,
        )
        _conv_step(conversation, StepKind.APPROVED, actor=actor, data={"draft": draft.pk}, at=now)
        b, a = diff(before, snapshot(draft, ["text", "state"]))
        audit_record(actor=actor, action="reply_draft.approve", obj=draft, before=b, after=a)
        publish_on_commit(
            "reply_draft.approved",
            draft_id=draft.pk,
            conversation_id=conversation.pk,
            account_id=conversation.account_id,
        )
    return _deliver(draft, actor=actor, now=now)


def reply_return(*, actor: User, draft: ReplyDraft, comment: str, now=None) -> ReplyDraft:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]})
    now = now or timezone.now()
    with transaction.atomic():
        conversation = draft.conversation
        _check(actor, P.REPLY_APPROVE, conversation)
        if not _speaks_for_office(actor, conversation, P.REPLY_APPROVE):
            raise _denied()
        draft.move_to(ReplyState.RETURNED)
        draft.save(update_fields=["state"])
        ReplyReview.objects.create(
            draft=draft,
            reviewer=actor,
            outcome=ReviewOutcome.RETURNED,
            comment=comment[:1000],
            at=now,
        )
        _conv_step(
            conversation, StepKind.RETURNED, actor=actor, note=comment, data={"draft": draft.pk}
        )
        audit_record(actor=actor, action="reply_draft.return", obj=draft, note=comment[:200])
        publish_on_commit(
            "reply_draft.returned",
            draft_id=draft.pk,
            conversation_id=conversation.pk,
            account_id=conversation.account_id,
        )
    return draft


def reply_retry(*, actor: User, draft: ReplyDraft, now=None) -> ReplyDraft:
    with transaction.atomic():
        _check(actor, P.REPLY_APPROVE, draft.conversation)
        if not _speaks_for_office(actor, draft.conversation, P.REPLY_APPROVE):
            raise _denied()
        draft.move_to(ReplyState.APPROVED)
        draft.error = ""
        draft.save(update_fields=["state", "error"])
        audit_record(actor=actor, action="reply_draft.retry", obj=draft)
    return _deliver(draft, actor=actor, now=now or timezone.now())


def _comment_sender(actor: User, draft: ReplyDraft) -> User | None:
    from zhengwei.wechat.outbound import policy as outbound_policy

    for person in (actor, draft.drafted_by):
        if may(person, outbound_policy.COMMENT_MANAGE, draft.conversation.account):
            return person
    return None


def _deliver(draft: ReplyDraft, *, actor: User, now: datetime) -> ReplyDraft:
    """Send an approved reply: a customer-service message (queued if the window is closed) or a
    reply to the article comment (a WeChat call, made outside any transaction)."""
    from zhengwei.wechat.outbound import services as outbound

    conversation = draft.conversation
    error = ""
    message = None
    if conversation.channel == Channel.COMMENT:
        sender = _comment_sender(actor, draft)
        if sender is None or conversation.comment is None:
            error = _("Nobody involved may reply to comments on this account.")
        else:
            try:
                outbound.comment_reply(
                    actor=sender, comment=conversation.comment, content=draft.text
                )
            except (WeChatError, PermissionDenied, ValidationError) as exc:
                error = str(exc)[:300]
    with transaction.atomic():
        _lock(conversation)
        if conversation.channel == Channel.MESSAGE:
            try:
                message = sending.send_text(
                    actor=sending.sender_for(actor, conversation.account),
                    account=conversation.account,
                    openid=conversation.openid,
                    text=draft.text,
                    reference=f"conversation:{conversation.pk}",
                )
            except (PrivilegeError, WeChatError) as exc:
                error = str(exc)[:300]
        draft.move_to(ReplyState.FAILED if error else ReplyState.SENT)
        draft.error = error
        draft.outbound = message
        if not error:
            draft.sent_by, draft.sent_at = actor, now
            _confirm_class(conversation, actor, now)
            conversation.first_response_at = conversation.first_response_at or now
            conversation.save()
            _conv_step(
                conversation,
                StepKind.REPLIED,
                actor=actor,
                note=draft.text,
                data={"draft": draft.pk, "direct": draft.direct},
                at=now,
            )
        draft.save()
        audit_record(
            actor=actor,
            action="reply_draft.sent" if not error else "reply_draft.failed",
            obj=draft,
            outcome="ok" if not error else "error",
            note=error,
        )
        publish_on_commit(
            "reply_draft.sent" if not error else "reply_draft.failed",
            draft_id=draft.pk,
            conversation_id=conversation.pk,
            account_id=conversation.account_id,
        )
        if not error:
            _publish("conversation.replied", conversation)
    return draft


# --- deadlines --------------------------------------------------------------------------------
def _target_level(conversation: Conversation, now: datetime) -> tuple[int, str]:
    category = conversation.effective_category
    if conversation.first_response_at is None:
        which, due = "first_response", conversation.first_response_due
    else:
        which, due = "resolution", conversation.resolution_due
    if now <= due:
        return 0, which
    period = conf.deadline(category, which)
    return min(2, 1 + int((now - due) / period)), which


def conversations_escalate_overdue(*, now=None) -> list[tuple[int, int]]:
    """Move overdue open conversations up: level 1 (duty leader) at the first-response or
    resolution deadline, level 2 (office leader) one deadline period later. Idempotent."""
    now = now or timezone.now()
    done = []
    candidates = Conversation.objects.filter(
        state__in=[ConversationState.NEW, ConversationState.OPEN], escalation_level__lt=2
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            conversation = Conversation.objects.select_related("account").get(pk=pk)
            _lock(conversation)
            level, which = _target_level(conversation, now)
            if level <= conversation.escalation_level:
                continue
            conversation.escalation_level = level
            conversation.escalated_at = now
            conversation.save()
            targets = escalation_targets(account=conversation.account, level=level, at=now)
            _conv_step(
                conversation,
                StepKind.ESCALATED,
                actor=SYSTEM,
                note=_("Overdue: the %(which)s deadline has passed.")
                % {"which": _("first-response") if which == "first_response" else _("resolution")},
                data={"level": level, "deadline": which, "notify": targets},
                at=now,
            )
            audit_record(
                actor_name=SYSTEM,
                action="conversation.escalate",
                obj=conversation,
                after={"level": level, "deadline": which},
            )
            _publish("conversation.escalated", conversation, level=level, notify_user_ids=targets)
            done.append((conversation.pk, level))
    return done
