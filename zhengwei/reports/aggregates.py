"""Report-handling figures aggregated in the database, for many accounts (or months) at once.

The same definitions as ``selectors.report_metrics`` (reports received in [start, end);
duplicates, referred and rejected excluded from the handling figures; first acknowledgement timed
on reports citizens sent themselves; deadline compliance over reports resolved or already due),
computed with one grouped query per figure instead of a pass over every row, so the performance
app can score hundreds of accounts or a busy year quickly. Callers check the policy (these are
de-identified counts and times: no person, no place, no text).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, F, Max, Q, When
from django.db.models.functions import TruncMonth

from zhengwei.lib.sqlstats import histograms_by, month_key, summaries_by
from zhengwei.reports import workflow
from zhengwei.reports.models import CITIZEN_CHANNELS, Report


def _group(group_by_month: bool):
    return "month" if group_by_month else "account_id"


def report_figures(
    *,
    account_ids: Iterable[int],
    start: datetime,
    end: datetime,
    now: datetime,
    by_month: bool = False,
) -> dict[Any, dict[str, Any]]:
    """{account_id (or month start): figures} for reports received in [start, end)."""
    qs = Report.objects.filter(
        account_id__in=list(account_ids), created_at__gte=start, created_at__lt=end
    )
    if by_month:
        qs = qs.annotate(month=TruncMonth("created_at"))
    key = _group(by_month)
    # One pass over the rows: the counts and the acknowledgement time together (its end is NULL
    # outside the citizens' reports, so they alone are timed).
    out: dict[Any, dict[str, Any]] = summaries_by(
        _timed(qs), DURATIONS, group=key, counts=_counts(now)
    )
    for row in out.values():
        add_rates(row)
    return out


DURATIONS = {"first_ack": ("submitted_at", "ack_end")}
CONSIDERED = ~Q(state__in=workflow.EXCLUDED_STATES)


def _timed(qs):
    citizen = Q(channel__in=list(CITIZEN_CHANNELS))
    return qs.annotate(ack_end=Case(When(citizen, then=F("first_ack_at")), default=None))


def _counts(now: datetime) -> dict[str, Any]:
    considered = CONSIDERED
    resolved = Q(state__in=[workflow.S.RESOLVED, workflow.S.CLOSED])
    return {
        "received": Count("pk"),
        "considered": Count("pk", filter=considered),
        "resolved": Count("pk", filter=considered & resolved),
        "met": Count(
            "pk", filter=considered & Q(resolved_at__isnull=False, resolved_at__lte=F("due_at"))
        ),
        "missed": Count(
            "pk",
            filter=considered
            & (
                Q(resolved_at__isnull=False, resolved_at__gt=F("due_at"))
                | Q(resolved_at__isnull=True, due_at__lte=now)
            ),
        ),
        "responded": Count(
            "pk",
            filter=considered & Q(contacted_at__isnull=False, contacted_at__lte=F("due_at")),
        ),
        "response_due": Count(
            "pk", filter=considered & (Q(contacted_at__isnull=False) | Q(due_at__lte=now))
        ),
    }


def add_rates(row: dict[str, Any]) -> dict[str, Any]:
    decided = row["met"] + row["missed"]
    row["deadline_rate"] = round(row["met"] / decided, 4) if decided else None
    row["resolution_rate"] = (
        round(row["resolved"] / row["considered"], 4) if row["considered"] else None
    )
    row["response_rate"] = (
        round(row["responded"] / row["response_due"], 4) if row["response_due"] else None
    )
    return row


def report_month_parts(
    *, account_ids: Iterable[int], start: datetime, end: datetime, now: datetime
) -> dict[tuple[int, date], dict[str, Any]]:
    """{(account_id, first day of the month): parts} for reports received in [start, end): the
    counts of ``report_figures``, a whole-second histogram of the first acknowledgement (parts
    that add up exactly across months) and ``settles_at``, the last deadline of a report not
    yet resolved or contacted: from then on the counts no longer move with ``now``."""
    qs = _timed(
        Report.objects.filter(
            account_id__in=list(account_ids), created_at__gte=start, created_at__lt=end
        ).annotate(month=TruncMonth("created_at"))
    )
    unsettled = CONSIDERED & (Q(resolved_at__isnull=True) | Q(contacted_at__isnull=True))
    out: dict[tuple[int, date], dict[str, Any]] = {}
    for row in qs.values("account_id", "month").annotate(
        **_counts(now), settles_at=Max("due_at", filter=unsettled)
    ):
        key = (row.pop("account_id"), month_key(row.pop("month")))
        out[key] = {**row, **{name: {} for name in DURATIONS}}
    for (account_id, month), hists in histograms_by(
        qs, DURATIONS, group=["account_id", "month"]
    ).items():
        out[(account_id, month_key(month))].update(hists)
    return out


def received_at(report_id: int) -> datetime | None:
    """When a report was received (which month its figures belong to)."""
    return Report.objects.filter(pk=report_id).values_list("created_at", flat=True).first()


def report_evidence_filter(*, start: datetime, end: datetime) -> str:
    """The query string of the report list that shows the reports behind these figures."""
    return f"?start={start.date().isoformat()}&end={end.date().isoformat()}&state="


def reports_behind(*, account_id: int, t0: datetime, t1: datetime) -> Any:
    """The reports behind a report indicator, received in [t0, t1): ticket, state and times
    only (no reporter's data), for the performance evidence pages."""
    return (
        Report.objects.filter(account_id=account_id, created_at__gte=t0, created_at__lt=t1)
        .only("pk", "ticket", "submitted_at", "state", "first_ack_at", "due_at", "resolved_at")
        .order_by("created_at")
    )
