"""Message-handling figures aggregated in the database, for many accounts (or months) at once.

For the performance indicators (govrules.md (a) rows 12–15): first-response time, the share
resolved within the class deadline, messages left unanswered for more than 90 days, and the time
until a message was escalated to the office. Counts and times only (no citizen, no text); callers
check the policy. Disaster chats that became reports are counted by the reports figures instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth

from zhengwei.interactions.models import Conversation, ConversationState, InboxItem
from zhengwei.lib.sqlstats import summaries_by

OPEN = [ConversationState.NEW, ConversationState.OPEN]


def conversation_figures(
    *,
    account_ids: Iterable[int],
    start: datetime,
    end: datetime,
    now: datetime,
    by_month: bool = False,
) -> dict[Any, dict[str, Any]]:
    """{account_id (or month start): figures} for conversations received in [start, end)."""
    ids = list(account_ids)
    qs = Conversation.objects.filter(
        account_id__in=ids, created_at__gte=start, created_at__lt=end
    ).exclude(state=ConversationState.CONVERTED)
    key = "account_id"
    if by_month:
        qs = qs.annotate(month=TruncMonth("created_at"))
        key = "month"
    resolved_in_time = Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due"))
    # One pass over the rows: the counts and both durations together (each duration is a sort,
    # so only those the indicators use).
    out = summaries_by(
        qs,
        {
            "first_response": ("created_at", "first_response_at"),
            "escalation": ("created_at", "escalated_at"),
        },
        group=key,
        counts={
            "received": Count("pk"),
            "answered": Count("pk", filter=Q(first_response_at__isnull=False)),
            "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
            "resolved_in_time": Count("pk", filter=resolved_in_time),
            "resolution_due": Count(
                "pk", filter=Q(resolved_at__isnull=False) | Q(resolution_due__lte=now)
            ),
            "escalated": Count("pk", filter=Q(escalated_at__isnull=False)),
        },
    )
    out = {k: v for k, v in out.items() if v["received"]}
    for row in out.values():
        due = row["resolution_due"]
        row["in_sla_rate"] = round(row["resolved_in_time"] / due, 4) if due else None
    return out


def unanswered_over(*, account_ids: Iterable[int], now: datetime, days: int = 90) -> dict[int, int]:
    """{account_id: open conversations with no answer received more than ``days`` ago}."""
    rows = (
        Conversation.objects.filter(
            account_id__in=list(account_ids),
            state__in=OPEN,
            first_response_at__isnull=True,
            created_at__lt=now - timedelta(days=days),
        )
        .values("account_id")
        .annotate(n=Count("pk"))
    )
    return {row["account_id"]: row["n"] for row in rows}


def answered_since(*, account_ids: Iterable[int], since: datetime) -> dict[int, datetime]:
    """{account_id: the latest first response or resolution after ``since``}: the interaction
    channel is working when citizens' messages are being answered."""
    rows = (
        Conversation.objects.filter(account_id__in=list(account_ids), first_response_at__gte=since)
        .values("account_id")
        .annotate(last=Max("first_response_at"))
    )
    return {row["account_id"]: row["last"] for row in rows}


def messages_received(
    *, account_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, int]:
    """{account_id: inbox items (messages and comments) received in [start, end)}."""
    rows = (
        InboxItem.objects.filter(
            conversation__account_id__in=list(account_ids), at__gte=start, at__lt=end
        )
        .values("conversation__account_id")
        .annotate(n=Count("pk"))
    )
    return {row["conversation__account_id"]: row["n"] for row in rows}
