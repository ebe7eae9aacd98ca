"""The dashboard's figures: month by month for one account (cadence, reads and followers,
response times, report handling, review turnaround) and the current month across accounts and
operation models. Each series is one grouped query over the period; nothing per row in Python.

A month without WeChat statistics for some days says how many days are missing; a month with no
data at all has null (drawn as a gap), never 0.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhengwei.lib import indicators
from zhengwei.orgs.models import OperationModel, WeChatAccount
from zhengwei.performance import measures, monthly
from zhengwei.performance.models import Publication, Scorecard, ScorecardState
from zhengwei.wechat.outbound import aggregates as stats


def _months(start: date, end: date) -> list[date]:
    out, d = [], start
    while d < end:
        out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def _key(value) -> date:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).date().replace(day=1)
            if timezone.is_aware(value)
            else value.date().replace(day=1)
        )
    return value.replace(day=1)


def _f(value, places: int = 1):
    return None if value is None else round(float(value), places)


def account_months(account: WeChatAccount, start: date, end: date, *, now=None) -> dict[str, Any]:
    """Month-by-month series for [start, end) (whole months)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    t0, t1 = measures.bounds(start, end)
    months = _months(start, end)
    labels = [m.strftime("%Y-%m") for m in months]

    pubs = {
        _key(row["month"]): row
        for row in Publication.objects.filter(
            account=account, ok=True, published_at__gte=t0, published_at__lt=t1
        )
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(
            pushes=Count("pk", filter=Q(kind="push")),
            articles=Sum("article_count"),
            originals=Sum("original_count"),
        )
    }
    per_month = monthly.figures_by_month(account.pk, start, end, now)
    conv = {m: f["messages"] for m, f in per_month.items() if f["messages"]}
    rep = {m: f["reports"] for m, f in per_month.items() if f["reports"]}
    fol = {
        _key(k): v
        for k, v in stats.follower_read_figures(
            account_ids=[account.pk], start=start, end=end, by="month"
        ).items()
    }
    signed = {
        s.start: s
        for s in Scorecard.objects.filter(
            account=account, period="month", start__gte=start, start__lt=end
        )
    }

    def col(source, fn):
        return [fn(source.get(m)) if source.get(m) is not None else None for m in months]

    def days_in(m: date) -> int:
        nxt = date(m.year + m.month // 12, m.month % 12 + 1, 1)
        return stats.span_days(m, nxt, today=today)

    return {
        "labels": labels,
        "cadence": {
            "pushes": [
                (pubs.get(m) or {}).get("pushes", 0) if m <= today else None for m in months
            ],
            "articles": [
                (pubs.get(m) or {}).get("articles") or 0 if m <= today else None for m in months
            ],
            "originals": [
                (pubs.get(m) or {}).get("originals") or 0 if m <= today else None for m in months
            ],
            "planned": [
                _f(measures.DEFAULT_PUSHES_PER_WEEK * Decimal(days_in(m)) / 7)
                if m <= today
                else None
                for m in months
            ],
        },
        "audience": {
            "net": col(fol, lambda r: r["net"] if r["days_with_data"] else None),
            "followers": col(fol, lambda r: r.get("followers_last")),
            "reads": col(fol, lambda r: r["reads"] if r["days_with_data"] else None),
            "missing_days": [
                max(0, days_in(m) - (fol.get(m) or {}).get("days_with_data", 0)) for m in months
            ],
        },
        "messages": {
            "received": col(conv, lambda r: r["received"]),
            "first_median_h": col(
                conv,
                lambda r: (
                    _f((r["first_response"]["median_s"] or 0) / 3600, 2)
                    if r["first_response"]["median_s"] is not None
                    else None
                ),
            ),
            "first_p90_h": col(
                conv,
                lambda r: (
                    _f((r["first_response"]["p90_s"] or 0) / 3600, 2)
                    if r["first_response"]["p90_s"] is not None
                    else None
                ),
            ),
            "in_sla_pct": col(
                conv, lambda r: _f(r["in_sla_rate"] * 100) if r["in_sla_rate"] is not None else None
            ),
        },
        "reports": {
            "received": col(rep, lambda r: r["received"]),
            "first_ack_median_min": col(
                rep,
                lambda r: (
                    _f(r["first_ack"]["median_s"] / 60)
                    if r["first_ack"]["median_s"] is not None
                    else None
                ),
            ),
            "deadline_pct": col(
                rep,
                lambda r: _f(r["deadline_rate"] * 100) if r["deadline_rate"] is not None else None,
            ),
            "resolution_pct": col(
                rep,
                lambda r: (
                    _f(r["resolution_rate"] * 100) if r["resolution_rate"] is not None else None
                ),
            ),
        },
        "scorecards": {
            "total": [_f(signed[m].total) if m in signed else None for m in months],
            "review_days": [
                _f((signed[m].signed_at - signed[m].computed_at).total_seconds() / 86400)
                if m in signed and signed[m].state == ScorecardState.SIGNED and signed[m].signed_at
                else None
                for m in months
            ],
        },
    }


COMPARE_CODES = [
    "days_since_last_post",
    "volume_vs_plan",
    "original_ratio",
    "msg_first_response_time",
    "msg_resolved_in_sla",
    "follower_net_growth",
]


def comparison(
    accounts: list[WeChatAccount], start: date, end: date, *, now=None
) -> dict[str, Any]:
    """The same indicators side by side for every account, and averaged per operation model."""
    measured = measures.measure_accounts(accounts, start, end, now=now)
    per_account = {
        "accounts": [a.name for a in accounts],
        "models": [a.get_operation_model_display() for a in accounts],
        "indicators": [
            {
                "code": code,
                "label": indicators.get(code).label,
                "unit": indicators.get(code).unit,
                "values": [_f(measured[a.pk][code].value, 2) for a in accounts],
            }
            for code in COMPARE_CODES
        ],
    }
    by_model: dict[str, list[WeChatAccount]] = defaultdict(list)
    for a in accounts:
        by_model[a.operation_model].append(a)
    models = [m for m in OperationModel if by_model.get(m)]
    per_model = {
        "models": [str(OperationModel(m).label) for m in models],
        "counts": [len(by_model[m]) for m in models],
        "indicators": [],
    }
    for code in COMPARE_CODES:
        values = []
        for m in models:
            got = [
                measured[a.pk][code].value
                for a in by_model[m]
                if measured[a.pk][code].value is not None
            ]
            values.append(_f(sum(got) / len(got), 2) if got else None)
        per_model["indicators"].append(
            {
                "code": code,
                "label": indicators.get(code).label,
                "unit": indicators.get(code).unit,
                "values": values,
            }
        )
    return {"per_account": per_account, "per_model": per_model}


def before_after(
    account: WeChatAccount, change: date, *, months: int = 3, now=None
) -> dict[str, Any]:
    """The indicators for the ``months`` whole months before the month of ``change`` (a change of
    operation model, say) and from that month on (up to now): evidence the thesis could only
    argue for. Each indicator says which way is better, so the page can say which side won."""
    now = now or timezone.now()
    first = change.replace(day=1)
    y, m = divmod(first.month - 1 - months, 12)
    before_start = date(first.year + y, m + 1, 1)
    y2, m2 = divmod(first.month - 1 + months, 12)
    after_end = min(date(first.year + y2, m2 + 1, 1), timezone.localtime(now).date())
    before = measures.measure_account(account, before_start, first, now=now)
    after = (
        measures.measure_account(account, first, after_end, now=now) if after_end > first else {}
    )
    rows = []
    for code in BEFORE_AFTER_CODES:
        spec = indicators.get(code)
        b = before[code].value if code in before else None
        a = after[code].value if code in after else None
        better = None
        if a is not None and b is not None and a != b and spec.direction != "pass":
            better = (a > b) == (spec.direction == "higher")
        elif a is not None and b is not None and a != b:
            better = a > b
        rows.append(
            {
                "code": code,
                "label": spec.label,
                "unit": spec.unit,
                "before": _f(b, 2),
                "after": _f(a, 2),
                "better": better,
            }
        )
    return {
        "before": [before_start.isoformat(), first.isoformat()],
        "after": [first.isoformat(), after_end.isoformat()],
        "indicators": rows,
    }


# The indicators the before/after page compares: what the operation model changes most directly.
BEFORE_AFTER_CODES = [
    "days_since_last_post",
    "volume_vs_plan",
    "original_ratio",
    "review_chain_complete",
    "msg_first_response_time",
    "msg_resolved_in_sla",
    "msg_overdue_90d",
    "office_escalation_latency",
    "follower_net_growth",
    "wci",
]
