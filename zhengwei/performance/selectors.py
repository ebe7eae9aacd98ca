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
from django.utils.translation import pgettext

from zhengwei.access.policy import accounts_for, require
from zhengwei.audit.selectors import field_history
from zhengwei.interactions.aggregates import conversations_behind
from zhengwei.lib import indicators
from zhengwei.newsroom.selectors import reprints_published
from zhengwei.orgs.models import OperationModel, WeChatAccount
from zhengwei.performance import measures
from zhengwei.performance import policy as P
from zhengwei.performance.models import (
    AlertLevel,
    Incident,
    IncidentKind,
    MenuProbe,
    Publication,
    RegistryFiling,
    ReprintRequest,
    Scorecard,
    ScorecardItem,
    VetoAlert,
)
from zhengwei.reports.aggregates import reports_behind
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


def reprint_list(*, user, account: WeChatAccount) -> QuerySet[ReprintRequest]:
    require(user, P.PERFORMANCE_VIEW, account)
    return ReprintRequest.objects.filter(account=account).select_related("recorded_by")


def reprint_get(*, user, account: WeChatAccount, pk) -> ReprintRequest:
    require(user, P.PERFORMANCE_VIEW, account)
    return get_object_or_404(ReprintRequest, account=account, pk=pk)


def filing_list(*, user, account: WeChatAccount) -> QuerySet[RegistryFiling]:
    require(user, P.PERFORMANCE_VIEW, account)
    return RegistryFiling.objects.filter(account=account).select_related("recorded_by")


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
            [
                pgettext("time", "Published"),
                _("Kind"),
                _("Title"),
                pgettext("count", "Articles"),
                _("Original"),
                _("Succeeded"),
            ],
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
        note = ""
        if code == "typo_rate":
            qs = qs.filter(kind=IncidentKind.TYPO)
            note = _(
                "Besides the typos recorded here: the typos confirmed on the newsroom's published "
                "text, over its characters (see the figures above)."
            )
        return Evidence(
            _("Incidents recorded by the office"),
            [_("Occurred"), _("Kind"), _("Description"), _("Recorded by")],
            [
                [fmt(i.occurred_at), i.get_kind_display(), i.description, str(i.recorded_by or "")]
                for i in qs[:limit]
            ],
            note,
        )
    if code == "reprint_latency":
        return _reprint_evidence(account, t0, t1, now, fmt, limit)
    if code == "wci":
        figures = stats.article_figures(account_ids=[account.pk], start=start, end=end)
        return Evidence(
            _("WeChat's daily figures per article"),
            [
                _("Article"),
                _("Headline"),
                _("Reads"),
                _("Wow (在看)"),
                _("Likes"),
                _("Shares"),
                _("Days"),
            ],
            [
                [
                    msgid,
                    _("yes") if msgid.endswith("_1") else "",
                    *(f[k] for k in ("reads", "zaikan", "likes", "shares", "days")),
                ]
                for msgid, f in sorted(figures.get(account.pk, {}).items())
            ][:limit],
            _(
                "WCI = (0.6·O + 0.2·A + 0.1·H + 0.1·P)² × 12 (清博 V14.2), over the figures per "
                "day, per article, of the headlines per day and of the best article."
            ),
        )
    if code == "account_registry_ok":
        qs = RegistryFiling.objects.filter(account=account, filed_on__lt=end)
        return Evidence(
            _("Filings with the national registry"),
            [
                _("Filing number"),
                _("Name as filed"),
                _("Owner as filed"),
                _("Platform"),
                _("Filed on"),
                _("Closing on"),
                _("Closing notice"),
            ],
            [
                [
                    f.registry_number,
                    f.registered_name,
                    f.registered_owner,
                    f.platform,
                    f.filed_on.isoformat(),
                    f.closing_on.isoformat() if f.closing_on else "—",
                    f.stop_notice_url or "—",
                ]
                for f in qs[:limit]
            ],
            _(
                "The account's name and its office must match the filing; an owner files one "
                "account per platform (the first filed keeps it)."
            ),
        )
    if code == "broken_function_rate":
        qs = MenuProbe.objects.filter(account=account, probed_at__gte=t0, probed_at__lt=t1)
        return Evidence(
            _("Menu-link probes"),
            [
                pgettext("checked at", "Checked"),
                _("Menu item"),
                _("Link"),
                _("Working"),
                pgettext("http", "Status"),
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
        if code == "msg_overdue_90d":
            qs = conversations_behind(
                account_id=account.pk, t0=t0, t1=min(t1, now), overdue_days=90
            )
        else:
            qs = conversations_behind(account_id=account.pk, t0=t0, t1=t1)
        return Evidence(
            _("Messages and comments"),
            [
                _("No."),
                pgettext("time", "Received"),
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
                for c in qs[:limit]
            ],
            _("Times in hours from the citizen's message. The texts are in the inbox."),
        )
    if code.startswith("report_"):
        qs = reports_behind(account_id=account.pk, t0=t0, t1=t1)
        return Evidence(
            _("Disaster reports"),
            [
                _("Ticket"),
                pgettext("time", "Received"),
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
                for r in qs[:limit]
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


def _reprint_evidence(account, t0, t1, now, fmt, limit) -> Evidence:
    requests = list(
        ReprintRequest.objects.filter(
            account=account, designated_at__gte=t0, designated_at__lt=t1
        ).order_by("designated_at")[:limit]
    )
    found = reprints_published(
        account_ids=[account.pk], urls=sorted({r.source_url for r in requests})
    )
    rows = []
    for r in requests:
        done = r.reprinted_at or found.get((account.pk, r.source_url))
        done = done if done is not None and done <= now else None
        rows.append(
            [
                r.title,
                r.designated_by,
                fmt(r.designated_at),
                fmt(done) if done else _("not yet"),
                _hours(r.designated_at, done or min(t1, now)),
                r.source_url,
            ]
        )
    return Evidence(
        _("Articles a superior designated for reprinting"),
        [_("Title"), _("Designated by"), _("Designated"), _("Reprinted"), _("Hours"), _("Link")],
        rows,
        _("A reprint still missing counts the hours it has waited so far."),
    )


@dataclass
class ModelChange:
    at: datetime
    day: date
    old: str  # the models' labels
    new: str


def model_changes(*, user, account: WeChatAccount) -> list[ModelChange]:
    """The account's changes of operation model, oldest first, from its history (the audit
    trail of ``account_update``)."""
    require(user, P.PERFORMANCE_VIEW, account)

    def label(code) -> str:
        return str(OperationModel(code).label) if code in OperationModel.values else "—"

    return [
        ModelChange(at, timezone.localtime(at).date(), label(old), label(new))
        for at, old, new in field_history(obj=account, field="operation_model")
        if old != new
    ]


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
