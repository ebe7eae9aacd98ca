"""The 互动 inbox: conversations are received, classified, assigned, resolved, reopened and
converted into reports."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied, may, require
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.interactions import classify, conf
from zhengwei.interactions import policy as P
from zhengwei.interactions.errors import IllegalMove
from zhengwei.interactions.models import (
    Category,
    Channel,
    ChatDraft,
    Conversation,
    ConversationState,
    ConversationStep,
    InboxItem,
    StepKind,
)
from zhengwei.interactions.services.common import CITIZEN, SYSTEM
from zhengwei.lib import wxxml
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import OrgKind, User, WeChatAccount
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel as ReportChannel
from zhengwei.reports.models import Datum, Hazard, Report
from zhengwei.wechat.outbound.models import Comment


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

    try:
        return str(wxxml.xml_to_dict(reply_xml).get("Content", ""))[:600]
    except wxxml.XMLRejected:
        return ""


def conversation_receive_comments(*, account: WeChatAccount, user_comment_ids=None) -> int:
    """New article comments become conversations (system, from wechat_comment.received)."""
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
        raise denied()


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
        lock(conversation)
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
        lock(conversation)
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
        lock(conversation)
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
        lock(conversation)
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
        lock(conversation)
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
            # Downloaded by a task (interactions.listeners enqueues it on this event).
            publish_on_commit("chat_draft.photos_pending", draft_id=draft.pk)
    return report


def _draft_of(conversation: Conversation) -> ChatDraft | None:
    step = conversation.steps.filter(kind=StepKind.RECEIVED, data__has_key="draft").first()
    if step is None:
        return None
    return ChatDraft.objects.filter(pk=step.data.get("draft")).first()
