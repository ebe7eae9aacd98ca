"""The message and report figures of any period: from the kept months (``MonthFigures``) where
they are kept and still valid, from the records for the rest (the running month, a period's
partial edges, a stale month). Both give the same numbers: the parts add up exactly (counts, and
whole-second histograms of the durations), so a year is the sum of its twelve months."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhengwei.interactions import aggregates as conversations
from zhengwei.lib.sqlstats import histogram_summary, merge_histograms
from zhengwei.performance.models import MonthFigures
from zhengwei.reports import aggregates as reports

# source → (the records' parts by account and month, their durations, the rates they add)
SOURCES = {
    "messages": (
        conversations.conversation_month_parts,
        conversations.DURATIONS,
        conversations.add_rates,
    ),
    "reports": (reports.report_month_parts, reports.DURATIONS, reports.add_rates),
}


def next_month(m: date) -> date:
    return date(m.year + m.month // 12, m.month % 12 + 1, 1)


def pieces(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end) cut at the month boundaries."""
    out, a = [], start
    while a < end:
        b = min(next_month(a.replace(day=1)), end)
        out.append((a, b))
        a = b
    return out


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local midnight of two dates: the instants of a period [start, end)."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def whole_months(start: date, end: date) -> list[date]:
    return [a for a, b in pieces(start, end) if a.day == 1 and b == next_month(a)]


def kept(ids: list[int], months: list[date], now: datetime):
    """The kept rows usable at ``now``: not stale, the month over, its deadlines passed."""
    today = timezone.localtime(now).date()
    closed = [m for m in months if next_month(m) <= today]
    return MonthFigures.objects.filter(account_id__in=ids, month__in=closed, stale=False).filter(
        Q(settles_at__isnull=True) | Q(settles_at__lte=now)
    )


def from_records(
    ids: list[int], start: date, end: date, now: datetime
) -> dict[tuple[int, date], dict[str, Any]]:
    """{(account, month): {source: parts}} computed from the records of [start, end)."""
    t0, t1 = bounds(start, end)
    out: dict[tuple[int, date], dict[str, Any]] = defaultdict(dict)
    for source, (parts_of, _d, _r) in SOURCES.items():
        for key, parts in parts_of(account_ids=ids, start=t0, end=t1, now=now).items():
            out[key][source] = parts
    return out


def parts_by_month(
    ids: list[int], start: date, end: date, now: datetime
) -> dict[int, dict[date, dict[str, Any]]]:
    """{account: {month: {source: parts}}} for [start, end), kept months first."""
    out: dict[int, dict[date, dict[str, Any]]] = defaultdict(dict)
    for row in kept(ids, whole_months(start, end), now):
        out[row.account_id][row.month] = {"messages": row.messages, "reports": row.reports}
    # The rest from the records: consecutive pieces that need the same accounts in one query.
    runs: list[tuple[date, date, tuple[int, ...]]] = []
    for a, b in pieces(start, end):
        whole = a.day == 1 and b == next_month(a)
        need = tuple(pk for pk in ids if not (whole and a in out[pk]))
        if not need:
            continue
        if runs and runs[-1][1] == a and runs[-1][2] == need:
            runs[-1] = (runs[-1][0], b, need)
        else:
            runs.append((a, b, need))
    for a, b, need in runs:
        for (pk, month), parts in from_records(list(need), a, b, now).items():
            out[pk][month] = parts
    return out


def merge(parts_list: list[dict[str, Any] | None], source: str) -> dict[str, Any] | None:
    durations = SOURCES[source][1]
    parts_list = [p for p in parts_list if p]
    if not parts_list:
        return None
    total: dict[str, Any] = {}
    for parts in parts_list:
        for k, v in parts.items():
            if k in durations or k == "settles_at":
                continue
            total[k] = total.get(k, 0) + v
    for name in durations:
        total[name] = merge_histograms(p.get(name) for p in parts_list)
    return total


def finish(parts: dict[str, Any] | None, source: str) -> dict[str, Any] | None:
    """The figures of ``*_figures`` (counts, rates, n/median_s/p90_s) from merged parts."""
    if not parts or not parts.get("received"):
        return None
    _p, durations, add_rates = SOURCES[source]
    row = {k: v for k, v in parts.items() if k not in durations}
    for name in durations:
        row[name] = histogram_summary(parts.get(name))
    return add_rates(row)


def figures(ids: list[int], start: date, end: date, now: datetime) -> dict[int, dict[str, Any]]:
    """{account: {"messages": figures or None, "reports": figures or None}} for [start, end)."""
    by_month = parts_by_month(ids, start, end, now)
    return {
        pk: {
            source: finish(merge([m.get(source) for m in by_month[pk].values()], source), source)
            for source in SOURCES
        }
        for pk in ids
    }


def figures_by_month(
    account_id: int, start: date, end: date, now: datetime
) -> dict[date, dict[str, Any]]:
    """{month: {"messages": figures or None, "reports": figures or None}} of one account."""
    return {
        month: {source: finish(parts.get(source), source) for source in SOURCES}
        for month, parts in parts_by_month([account_id], start, end, now)[account_id].items()
    }
