"""Retention of what citizens wrote to the inbox and sent while reporting in chat (registered with
lib/retention in apps.py). Only finished work is touched: a draft once confirmed (its report keeps
what was confirmed) or abandoned, a conversation once resolved or turned into a report."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q

from zhengwei.interactions.models import (
    ChatDraft,
    Conversation,
    ConversationState,
    DraftState,
    InboxItem,
)

FINISHED_DRAFTS = (DraftState.CONFIRMED, DraftState.ABANDONED)
CLOSED_CASES = (ConversationState.RESOLVED, ConversationState.CONVERTED)


def drafts_purge(cutoff: datetime) -> int:
    gone, _by_model = ChatDraft.objects.filter(
        state__in=FINISHED_DRAFTS, updated_at__lt=cutoff
    ).delete()
    return gone


def drafts_oldest(cutoff: datetime):
    return ChatDraft.objects.aggregate(t=Min("started_at"))["t"]


def _closed_before(cutoff: datetime):
    # A converted case has no resolved_at: its last message dates it.
    return Conversation.objects.filter(state__in=CLOSED_CASES).filter(
        Q(resolved_at__lt=cutoff) | Q(resolved_at__isnull=True, last_item_at__lt=cutoff)
    )


def conversations_forget_texts(cutoff: datetime) -> int:
    closed = _closed_before(cutoff)
    items = (
        InboxItem.objects.filter(conversation__in=closed)
        .exclude(text="", auto_reply="")
        .update(text="", auto_reply="")
    )
    closed.exclude(preview="").update(preview="")
    return items


def conversations_oldest_text(cutoff: datetime):
    return InboxItem.objects.exclude(text="").aggregate(t=Min("at"))["t"]
