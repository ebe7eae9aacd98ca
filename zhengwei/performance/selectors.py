"""Reads for the performance pages, with the policy applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import accounts_for, require
from zhengwei.interactions.models import Conversation
from zhengwei.lib import indicators
from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance import measures
from zhengwei.performance import policy as P
from zhengwei.performance.models import (
    AlertLevel,
    Incident,
    MenuProbe,
    Publication,
    Scorecard,
    ScorecardItem,
    VetoAlert,
)
from zhengwei.reports.models import Report
from zhengwei.wechat.outbound import aggregates as stats

# What the overview shows for each account, in this order.
OVERVIEW_CODES = [
    "days_since_last_post",
    "volume_vs_plan",
    "original_ratio",
    "msg_first_response_time",
    "msg_resolved_in_sla",
    "msg_overdue_90d",
    "follower_net_growth",
    "broken_function_rate",
]


def scorecard_list(*, user, account: WeChatAccount) -> QuerySet[Scorecard]:
    require(user, P.PERFORMANCE_VIEW, account)
    return Scorecard.objects.filter(account=account).select_related("signed_by")


def scorecard_get(*, user, pk: int) -> Scorecard:
    sc = get_object_or_404(Scorecard.objects.select_related("account", "signed_by"), pk=pk)
    require(user, P.PERFORMANCE_VIEW, sc.account)
    return sc


def scorecard_items(*, scorecard: Scorecard) -> list[ScorecardItem]:
    return list(scorecard.items.prefetch_related("reviews__actor"))


def item_get(*, user, pk: int) -> ScorecardItem:
    item = get_object_or_404(ScorecardItem.objects.select_related("scorecard__account"), pk=pk)
    require(user, P.PERFORMANCE_VIEW, item.scorecard.account)
    return item


def incident_list(*, user, account: WeChatAccount) -> QuerySet[Incident]:
    require(user, P.PERFORMANCE_VIEW, account)
    return Incident.objects.filter(account=account).select_related("recorded_by")


def alerts_open(*, user, account: WeChatAccount) -> list[VetoAlert]:
    require(user, P.PERFORMANCE_VIEW, account)
    return list(VetoAlert.objects.filter(account=account, cleared_at__isnull=True))


@dataclass
class OverviewRow:
    account: WeChatAccount
    cells: list[tuple[str, Any, bool | None]]  # (code, value, met)
    vetoes: int = 0
    ambers: int = 0
    missed: int = 0
    alerts: list[VetoAlert] = field(default_factory=list)

    @property
    def risk(self) -> tuple:
        return (-self.vetoes, -self.ambers, -self.missed, self.account.name)


def overview(*, user, start: date, end: date, now: datetime | None = None) -> list[OverviewRow]:
    """Every account the person supervises, its indicators for [start, end) against the
    catalogue's benchmarks and its open alerts, the riskiest first (rank 1)."""
    accounts = accounts_for(user, P.PERFORMANCE_VIEW)
    measured = measures.measure_accounts(accounts, start, end, now=now)
    alerts: dict[int, list[VetoAlert]] = {}
    for alert in VetoAlert.objects.filter(account__in=accounts, cleared_at__isnull=True).order_by(
        "account_id", "-level"
    ):
        alerts.setdefault(alert.account_id, []).append(alert)
    rows = []
    for account in accounts:
        values = measured[account.pk]
        cells = []
        missed = 0
        for code in OVERVIEW_CODES:
            m = values.get(code)
            value = m.value if m else None
            ok = None if value is None else indicators.met(code, value)
            missed += ok is False
            cells.append((code, value, ok))
        own = alerts.get(account.pk, [])
        rows.append(
            OverviewRow(
                account=account,
                cells=cells,
                vetoes=sum(a.level == AlertLevel.VETO for a in own),
                ambers=sum(a.level == AlertLevel.AMBER for a in own),
                missed=missed,
                alerts=own,
            )
        )
    rows.sort(key=lambda r: r.risk)
    return rows


def overview_headers() -> list[indicators.Indicator]:
    return [indicators.get(c) for c in OVERVIEW_CODES]


# --- evidence ------------------------------------------------------------------------------------
@dataclass
class Evidence:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    link: str = ""


def _hours(a, b) -> str:
    if a is None or b is None:
        return "—"
    return f"{(b - a).total_seconds() / 3600:.1f}"


def evidence(
    *, user, account: WeChatAccount, code: str, start: date, end: date, now=None, limit: int = 500
) -> Evidence:
    """The records behind one indicator's value for [start, end): no personal data (times,
    ids and counts), so every role that sees the figure may see its evidence."""
    require(user, P.PERFORMANCE_VIEW, account)
    now = now or timezone.now()
    t0, t1 = measures.bounds(start, end)
    fmt = lambda t: timezone.localtime(t).strftime("%Y-%m-%d %H:%M") if t else "—"  # noqa: E731
    if code in ("days_since_last_post", "volume_vs_plan", "original_ratio"):
        qs = Publication.objects.filter(
            account=account, published_at__gte=t0 - timedelta(days=14), published_at__lt=t1
        ).order_by("published_at")[:limit]
        return Evidence(
            _("Publications"),
            [_("Published"), _("Kind"), _("Title"), _("Articles"), _("Original"), _("Succeeded")],
            [
                [
                    fmt(p.published_at),
                    p.get_kind_display(),
                    p.title,
                    p.article_count,
                    p.original_count,
                    _("yes") if p.ok else _("no"),
                ]
                for p in qs
            ],
            _(
                "Including the 14 days before the period, which the gap before the first post counts."
            ),
        )
    if code in (
        "serious_error_events",
        "secret_or_pii_leaks",
        "prohibited_content_or_links",
        "typo_rate",
    ):
        qs = Incident.objects.filter(account=account, occurred_at__gte=t0, occurred_at__lt=t1)
        return Evidence(
            _("Incidents recorded by the office"),
            [_("Occurred"), _("Kind"), _("Description"), _("Recorded by")],
            [
                [fmt(i.occurred_at), i.get_kind_display(), i.description, str(i.recorded_by or "")]
                for i in qs[:limit]
            ],
        )
    if code == "broken_function_rate":
        qs = MenuProbe.objects.filter(account=account, probed_at__gte=t0, probed_at__lt=t1)
        return Evidence(
            _("Menu-link probes"),
            [
                _("Checked"),
                _("Menu item"),
                _("Link"),
                _("Working"),
                _("Status"),
                _("Time (ms)"),
                _("Error"),
            ],
            [
                [
                    fmt(p.probed_at),
                    p.label,
                    p.url,
                    _("yes") if p.ok else _("no"),
                    p.status_code or "—",
                    p.elapsed_ms,
                    p.error,
                ]
                for p in qs[:limit]
            ],
            _("A link failing on 3 daily checks in a row counts as broken."),
        )
    if code.startswith("msg_") or code in ("office_escalation_latency", "interaction_channel_ok"):
        qs = Conversation.objects.filter(account=account, created_at__gte=t0, created_at__lt=t1)
        if code == "msg_overdue_90d":
            qs = Conversation.objects.filter(
                account=account,
                state__in=["new", "open"],
                first_response_at__isnull=True,
                created_at__lt=min(t1, now) - timedelta(days=90),
            )
        return Evidence(
            _("Messages and comments"),
            [
                _("No."),
                _("Received"),
                _("Class"),
                _("First response (h)"),
                _("Resolved (h)"),
                _("Resolution due"),
                _("Escalated (h)"),
            ],
            [
                [
                    c.pk,
                    fmt(c.created_at),
                    c.get_category_display() or "—",
                    _hours(c.created_at, c.first_response_at),
                    _hours(c.created_at, c.resolved_at),
                    fmt(c.resolution_due),
                    _hours(c.created_at, c.escalated_at),
                ]
                for c in qs.order_by("created_at")[:limit]
            ],
            _("Times in hours from the citizen's message. The texts are in the inbox."),
        )
    if code.startswith("report_"):
        qs = Report.objects.filter(account=account, created_at__gte=t0, created_at__lt=t1)
        return Evidence(
            _("Disaster reports"),
            [
                _("Ticket"),
                _("Received"),
                _("State"),
                _("First acknowledgement (min)"),
                _("Due"),
                _("Resolved"),
            ],
            [
                [
                    r.ticket,
                    fmt(r.submitted_at),
                    r.get_state_display(),
                    f"{(r.first_ack_at - r.submitted_at).total_seconds() / 60:.1f}"
                    if r.first_ack_at
                    else "—",
                    fmt(r.due_at),
                    fmt(r.resolved_at),
                ]
                for r in qs.order_by("created_at")[:limit]
            ],
        )
    if code in ("follower_net_growth", "reads"):
        today = timezone.localtime(now).date()
        missing = set(stats.missing_days(account_id=account.pk, start=start, end=end, today=today))
        per_day = stats.follower_read_figures(
            account_ids=[account.pk], start=start, end=end, by="day"
        )
        rows = []
        day = start
        while day < min(end, today):
            one = None if day in missing else per_day.get(day)
            if one is None:
                rows.append([day.isoformat(), _("missing"), "", "", "", ""])
            else:
                rows.append(
                    [
                        day.isoformat(),
                        one["new"],
                        one["cancelled"],
                        one["net"],
                        "—" if one["followers_last"] is None else one["followers_last"],
                        one["reads"],
                    ]
                )
            day += timedelta(days=1)
        return Evidence(
            _("WeChat statistics, day by day"),
            [_("Day"), _("New followers"), _("Unfollowed"), _("Net"), _("Followers"), _("Reads")],
            rows,
            _("A day WeChat's statistics are missing for is shown as missing, never as zero."),
        )
    raise ValueError(code)


def indicator_label(code: str) -> str:
    try:
        return indicators.get(code).label
    except KeyError:
        return {
            "report_first_ack_minutes": _("Reports: first acknowledgement (median, min)"),
            "report_deadline_rate": _("Reports: deadline compliance (%)"),
            "reads": _("Reads"),
        }.get(code, code)


def decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)
