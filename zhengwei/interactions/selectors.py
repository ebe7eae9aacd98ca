"""Reads of the 互动 inbox and the reply templates, with the policy applied.

Contractor members see the inbox with phone and ID numbers masked, and never a conversation that
is (or became) a disaster report; office staff without the personal-data action see masked text
too. The openid is never shown: a pseudonym stable per account stands for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhengwei.access.policy import Action, may, require
from zhengwei.interactions import policy as P
from zhengwei.interactions import wording
from zhengwei.interactions.models import (
    Category,
    Conversation,
    ConversationState,
    ReplyDraft,
    ReplyState,
    ReplyTemplate,
)
from zhengwei.lib.privacy import mask_text, pseudonym
from zhengwei.orgs.models import OrgKind, RoleGrant, User, WeChatAccount
from zhengwei.reports.models import State as ReportState
from zhengwei.wechat.outbound import policy as outbound_policy
from zhengwei.wechat.outbound.models import Comment, CommentThread, OutboundMessage, OutboundState

OPEN = [ConversationState.NEW, ConversationState.OPEN]


def _disaster() -> Q:
    return (
        Q(category=Category.DISASTER)
        | Q(category="", suggested_category=Category.DISASTER)
        | Q(state=ConversationState.CONVERTED)
    )


def conversation_queryset(*, user, account: WeChatAccount) -> QuerySet[Conversation]:
    require(user, P.INBOX_VIEW, account)
    qs = Conversation.objects.filter(account=account).select_related("assignee", "report")
    if getattr(user, "org_kind", None) == OrgKind.CONTRACTOR:
        qs = qs.exclude(_disaster())
    return qs


def conversation_list(
    *, user, account: WeChatAccount, filters: dict[str, Any] | None = None, now=None
) -> QuerySet[Conversation]:
    """Filters: state ("open" (default), "done", "all" or a state), category, channel,
    mine (assigned to the person), overdue."""
    now = now or timezone.now()
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = conversation_queryset(user=user, account=account)
    state = f.get("state", "open")
    if state == "open":
        qs = qs.filter(state__in=OPEN)
    elif state == "done":
        qs = qs.exclude(state__in=OPEN)
    elif state in ConversationState.values:
        qs = qs.filter(state=state)
    if f.get("category") in Category.values:
        c = f["category"]
        qs = qs.filter(Q(category=c) | Q(category="", suggested_category=c))
    if f.get("channel"):
        qs = qs.filter(channel=f["channel"])
    if f.get("mine"):
        qs = qs.filter(assignee=user)
    if f.get("overdue"):
        qs = qs.filter(state__in=OPEN).filter(
            Q(first_response_at__isnull=True, first_response_due__lt=now)
            | Q(resolution_due__lt=now)
        )
    return qs.order_by("-escalation_level", "first_response_due", "-last_item_at")


def conversation_get(*, user, pk: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related("account", "assignee", "report", "comment")
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not may(user, P.INBOX_VIEW, conversation):
        raise Http404
    if not P.conversation_visible(user, conversation):
        raise Http404
    return conversation


def sees_personal(user, account: WeChatAccount) -> bool:
    return may(user, Action.PERSONAL_DATA_VIEW, account)


def shown(text: str, *, revealed: bool = False) -> str:
    """What a citizen wrote, with personal data masked (zhengwei.lib.privacy's one rule) for
    everyone; in full only after an audited reveal (``zhengwei.access.privacy.lens_revealed``)."""
    return text if revealed else mask_text(text)


def short_openid(openid: str, *, account_id: int | None) -> str:
    """The citizen's pseudonym on the account (stable, so a conversation can be followed)."""
    return pseudonym(openid, account_id=account_id)


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # "citizen", "reply", "step"
    who: str
    text: str
    obj: Any


def conversation_thread(*, user, conversation: Conversation, revealed: bool = False) -> list[Entry]:
    """What the citizen said, what was answered and every handling step, in time order; personal
    data masked unless ``revealed`` (an audited reveal by someone with the right)."""
    conversation_get(user=user, pk=conversation.pk)
    personal = revealed and sees_personal(user, conversation.account)
    entries = [
        Entry(i.at, "citizen", "", shown(i.text, revealed=personal), i)
        for i in conversation.items.all()
    ]
    for draft in conversation.replies.select_related("drafted_by", "sent_by").prefetch_related(
        "reviews__reviewer"
    ):
        entries.append(
            Entry(
                draft.drafted_at,
                "reply",
                str(draft.drafted_by),
                shown(draft.text, revealed=personal),
                draft,
            )
        )
    for step in conversation.steps.select_related("actor"):
        if step.kind in ("received", "replied", "drafted"):
            continue  # the item or the reply itself shows them
        entries.append(Entry(step.at, "step", step.who, shown(step.note, revealed=personal), step))
    entries.sort(key=lambda e: (e.at, e.kind != "citizen"))
    return entries


def pending_drafts(*, user, account: WeChatAccount) -> QuerySet[ReplyDraft]:
    """Drafts waiting for this person's approval (empty for those who may not approve)."""
    if not may(user, P.REPLY_APPROVE, account) or user.org_kind == OrgKind.CONTRACTOR:
        return ReplyDraft.objects.none()
    return (
        ReplyDraft.objects.filter(conversation__account=account, state=ReplyState.PENDING)
        .select_related("conversation", "drafted_by")
        .order_by("drafted_at")
    )


def my_returned_drafts(*, user, account: WeChatAccount) -> QuerySet[ReplyDraft]:
    return (
        ReplyDraft.objects.filter(
            conversation__account=account, drafted_by=user, state=ReplyState.RETURNED
        )
        .select_related("conversation")
        .prefetch_related("reviews")
    )


def assignable_people(*, account: WeChatAccount, conversation=None) -> list[User]:
    ids = RoleGrant.objects.filter(account=account, user__is_active=True).values_list(
        "user_id", flat=True
    )
    people = User.objects.filter(pk__in=ids).select_related("organisation").order_by("username")
    out = [u for u in people if may(u, P.REPLY_DRAFT, account)]
    if conversation is not None:
        out = [u for u in out if P.conversation_visible(u, conversation)]
    return out


def inbox_counts(*, user, account: WeChatAccount, now=None) -> dict[str, Any]:
    """Counts for the console and the dashboard (no text, no person)."""
    now = now or timezone.now()
    qs = conversation_queryset(user=user, account=account)
    open_qs = qs.filter(state__in=OPEN)
    by_category = {c: 0 for c in Category.values}
    for row in open_qs.values("category", "suggested_category").annotate(n=Count("id")):
        by_category[row["category"] or row["suggested_category"]] += row["n"]
    overdue = open_qs.filter(
        Q(first_response_at__isnull=True, first_response_due__lt=now) | Q(resolution_due__lt=now)
    ).count()
    return {
        "open": open_qs.count(),
        "new": open_qs.filter(state=ConversationState.NEW).count(),
        "overdue": overdue,
        "by_category": {str(Category(k).label): v for k, v in by_category.items()},
        "pending_drafts": pending_drafts(user=user, account=account).count(),
    }


@dataclass(frozen=True)
class TemplateRow:
    state: str
    label: str
    text: str
    active: bool
    customised: bool


def reply_templates(*, user, account: WeChatAccount) -> list[TemplateRow]:
    require(user, P.TEMPLATES_VIEW, account)
    rows = {t.state: t for t in ReplyTemplate.objects.filter(account=account)}
    out = []
    for state in ReportState.values:
        default = wording.DEFAULTS.get(state)
        if default is None and state not in rows:
            continue
        row = rows.get(state)
        out.append(
            TemplateRow(
                state=state,
                label=str(ReportState(state).label),
                text=row.text if row else str(default[0]),
                active=row.active if row else default[1],
                customised=row is not None,
            )
        )
    return out


def waiting_by_conversation(conversations) -> dict[int, int]:
    """conversation id → messages to that citizen waiting for them to write again."""
    # Grouped by the openids' blind index: the sealed openids differ row by row.
    by_key = {(c.account_id, c.openid_index): c.pk for c in conversations if c.openid}
    if not by_key:
        return {}
    rows = (
        OutboundMessage.objects.filter(
            account_id__in={a for a, _o in by_key},
            openid_index__in={o for _a, o in by_key},
            state=OutboundState.WAITING_WINDOW,
        )
        .values("account_id", "openid_index")
        .annotate(n=Count("pk"))
    )
    return {
        by_key[(r["account_id"], r["openid_index"])]: r["n"]
        for r in rows
        if (r["account_id"], r["openid_index"]) in by_key
    }


@dataclass(frozen=True)
class CommentRow:
    comment: Any
    text: str
    reader: str
    conversation: Conversation | None
    waiting: ReplyDraft | None  # a reply awaiting the office's approval


@dataclass(frozen=True)
class ThreadRow:
    thread: Any
    comments: list[CommentRow]


def comment_moderation(*, user, account: WeChatAccount, limit: int = 30) -> list[ThreadRow]:
    """The watched articles of the account (newest first) with their readers' comments, masked
    as in the inbox; contractor members never see a comment that became a disaster case."""
    require(user, outbound_policy.COMMENT_VIEW, account)
    threads = list(CommentThread.objects.filter(account=account).order_by("-poll_until")[:limit])
    comments = Comment.objects.filter(
        account=account,
        deleted=False,
        msg_data_id__in=[t.msg_data_id for t in threads],
    ).order_by("-elected", "-created")
    conversations = {
        c.comment_id: c for c in Conversation.objects.filter(account=account, comment__in=comments)
    }
    waiting = {
        d.conversation_id: d
        for d in ReplyDraft.objects.filter(
            conversation__in=conversations.values(), state=ReplyState.PENDING
        )
    }
    contractor = getattr(user, "org_kind", None) == OrgKind.CONTRACTOR
    by_thread: dict[tuple[int, int], list[CommentRow]] = {}
    for comment in comments:
        conversation = conversations.get(comment.pk)
        if contractor and conversation and not P.conversation_visible(user, conversation):
            continue
        by_thread.setdefault((comment.msg_data_id, comment.index), []).append(
            CommentRow(
                comment=comment,
                text=mask_text(comment.content),
                reader=pseudonym(comment.openid, account_id=account.pk),
                conversation=conversation,
                waiting=waiting.get(conversation.pk) if conversation else None,
            )
        )
    return [ThreadRow(t, by_thread.get((t.msg_data_id, t.index), [])) for t in threads]
