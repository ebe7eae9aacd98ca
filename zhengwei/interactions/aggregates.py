"""Message-handling figures aggregated in the database, for many accounts (or months) at once.

For the performance indicators (govrules.md (a) rows 12–15): first-response time, the share
resolved within the class deadline, messages left unanswered for more than 90 days, and the time
until a message was escalated to the office. Counts and times only (no citizen, no text); callers
check the policy. Disaster chats that became reports are counted by the reports figures instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth

from zhengwei.interactions.models import Conversation, ConversationState, InboxItem
from zhengwei.lib.sqlstats import histograms_by, month_key, summaries_by

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
    # One pass over the rows: the counts and both durations together (each duration is a sort,
    # so only those the indicators use).
    out = summaries_by(qs, DURATIONS, group=key, counts=_counts(now))
    out = {k: v for k, v in out.items() if v["received"]}
    for row in out.values():
        add_rates(row)
    return out


DURATIONS = {
    "first_response": ("created_at", "first_response_at"),
    "escalation": ("created_at", "escalated_at"),
}


def _counts(now: datetime) -> dict[str, Any]:
    resolved_in_time = Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due"))
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(first_response_at__isnull=False)),
        "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
        "resolved_in_time": Count("pk", filter=resolved_in_time),
        "resolution_due": Count(
            "pk", filter=Q(resolved_at__isnull=False) | Q(resolution_due__lte=now)
        ),
        "escalated": Count("pk", filter=Q(escalated_at__isnull=False)),
    }


def add_rates(row: dict[str, Any]) -> dict[str, Any]:
    due = row["resolution_due"]
    row["in_sla_rate"] = round(row["resolved_in_time"] / due, 4) if due else None
    return row


def conversation_month_parts(
    *, account_ids: Iterable[int], start: datetime, end: datetime, now: datetime
) -> dict[tuple[int, date], dict[str, Any]]:
    """{(account_id, first day of the month): parts} for conversations received in [start, end):
    the counts of ``conversation_figures`` and whole-second histograms of its durations — parts
    that add up exactly across months (``lib.sqlstats.histograms_by``) — and ``settles_at``,
    the last resolution deadline still open: from then on the counts no longer move with
    ``now``, only with changes to the records."""
    qs = (
        Conversation.objects.filter(
            account_id__in=list(account_ids), created_at__gte=start, created_at__lt=end
        )
        .exclude(state=ConversationState.CONVERTED)
        .annotate(month=TruncMonth("created_at"))
    )
    out: dict[tuple[int, date], dict[str, Any]] = {}
    # (the count "resolution_due" hides the field of that name from later aggregates)
    for row in (
        qs.annotate(_due=F("resolution_due"))
        .values("account_id", "month")
        .annotate(**_counts(now), settles_at=Max("_due", filter=Q(resolved_at__isnull=True)))
    ):
        key = (row.pop("account_id"), month_key(row.pop("month")))
        out[key] = {**row, **{name: {} for name in DURATIONS}}
    for (account_id, month), hists in histograms_by(
        qs, DURATIONS, group=["account_id", "month"]
    ).items():
        out[(account_id, month_key(month))].update(hists)
    return out


def received_at(conversation_id: int) -> datetime | None:
    """When a conversation was received (which month its figures belong to)."""
    return (
        Conversation.objects.filter(pk=conversation_id).values_list("created_at", flat=True).first()
    )


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


def conversations_behind(
    *, account_id: int, t0: datetime, t1: datetime, overdue_days: int | None = None
) -> Any:
    """The conversations behind a message indicator, timing fields only (no citizen's text or
    openid), for the performance evidence pages: received in [t0, t1), or, with
    ``overdue_days``, still unanswered and older than that many days before ``t1``."""
    qs = Conversation.objects.filter(account_id=account_id)
    if overdue_days is None:
        qs = qs.filter(created_at__gte=t0, created_at__lt=t1)
    else:
        qs = qs.filter(
            state__in=[ConversationState.NEW, ConversationState.OPEN],
            first_response_at__isnull=True,
            created_at__lt=t1 - timedelta(days=overdue_days),
        )
    return qs.only(
        "pk",
        "created_at",
        "category",
        "first_response_at",
        "resolved_at",
        "resolution_due",
        "escalated_at",
    ).order_by("created_at")
