"""Replies in the inbox: a contractor's draft is approved or returned by the office, then sent."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied, may
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.interactions import policy as P
from zhengwei.interactions import sending
from zhengwei.interactions.errors import IllegalMove
from zhengwei.interactions.models import (
    Channel,
    Conversation,
    ReplyDraft,
    ReplyReview,
    ReplyState,
    ReviewOutcome,
    StepKind,
)
from zhengwei.interactions.services.conversations import (
    _check,
    _confirm_class,
    _conv_step,
    _publish,
)
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User
from zhengwei.wechat.outbound import policy as outbound_policy
from zhengwei.wechat.outbound import services as outbound
from zhengwei.wechat.outbound.errors import PrivilegeError, WeChatError


def _clean_reply(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the reply.")]})
    if len(text) > 600:
        raise ValidationError({"text": [_("A reply may be at most 600 characters.")]})
    return text


def reply_draft_submit(
    *, actor: User, conversation: Conversation, text: str, now=None
) -> ReplyDraft:
    """A reply for the office to approve (the contractor's way, or an office member's choice)."""
    text = _clean_reply(text)
    now = now or timezone.now()
    with transaction.atomic():
        lock(conversation)
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
            raise denied()
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
            raise denied()
        draft.move_to(ReplyState.WITHDRAWN)
        draft.save(update_fields=["state"])
        audit_record(actor=actor, action="reply_draft.withdraw", obj=draft)
    return draft


def reply_send(*, actor: User, conversation: Conversation, text: str, now=None) -> ReplyDraft:
    """An office member answers directly: no review needed, it speaks for the government."""
    text = _clean_reply(text)
    now = now or timezone.now()
    with transaction.atomic():
        lock(conversation)
        _check(actor, P.REPLY_SEND, conversation)
        if not P.speaks_for_office(actor, conversation, P.REPLY_SEND):
            raise denied()
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
        conversation = lock(draft.conversation)
        _check(actor, P.REPLY_APPROVE, conversation)
        if not P.speaks_for_office(actor, conversation, P.REPLY_APPROVE):
            raise denied()
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
        if not P.speaks_for_office(actor, conversation, P.REPLY_APPROVE):
            raise denied()
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
        if not P.speaks_for_office(actor, draft.conversation, P.REPLY_APPROVE):
            raise denied()
        draft.move_to(ReplyState.APPROVED)
        draft.error = ""
        draft.save(update_fields=["state", "error"])
        audit_record(actor=actor, action="reply_draft.retry", obj=draft)
    return _deliver(draft, actor=actor, now=now or timezone.now())


def _comment_sender(actor: User, draft: ReplyDraft) -> User | None:
    for person in (actor, draft.drafted_by):
        if may(person, outbound_policy.COMMENT_MANAGE, draft.conversation.account):
            return person
    return None


def _deliver(draft: ReplyDraft, *, actor: User, now: datetime) -> ReplyDraft:
    """Send an approved reply: a customer-service message (queued if the window is closed) or a
    reply to the article comment (a WeChat call, made outside any transaction)."""
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
        lock(conversation)
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
