"""Keeping the figures of closed months (``MonthFigures``): the job that fills them, and the mark
that sends a month back to its records when one of them changes late. Derived data, written by
the system (no person acts, nothing is audited: the records they are computed from are)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from zhengwei.lib.sqlstats import month_key
from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance import monthly
from zhengwei.performance.models import MonthFigures

# How far back the job keeps months (a two-year dashboard, last year's annual report).
KEEP_MONTHS = 24


def _month_back(m: date, n: int) -> date:
    y, k = divmod(m.month - 1 - n, 12)
    return date(m.year + y, k + 1, 1)


def _jsonable(parts: dict | None) -> dict:
    return {k: v for k, v in (parts or {}).items() if k != "settles_at"}


def month_figures_store(
    *, now: datetime | None = None, account_ids: list[int] | None = None, months: int = KEEP_MONTHS
) -> int:
    """Keep the figures of every closed month of the last ``months`` that is not kept yet (or is
    stale) and whose deadlines have passed; returns how many months were written. One grouped
    pass over the records of the months needed, for all the accounts at once."""
    now = now or timezone.now()
    current = timezone.localtime(now).date().replace(day=1)
    wanted = [_month_back(current, n) for n in range(months, 0, -1)]
    ids = account_ids or list(WeChatAccount.objects.values_list("pk", flat=True))
    valid = {
        (pk, m): row
        for row, pk, m in monthly.kept(ids, wanted, now).values_list("pk", "account_id", "month")
    }
    have = set(valid)
    valid = list(valid.values())
    need = [(pk, m) for pk in ids for m in wanted if (pk, m) not in have]
    if not need:
        return 0
    first = min(m for _pk, m in need)
    accounts = sorted({pk for pk, _m in need})
    parts = monthly.from_records(accounts, first, current, now)
    rows = []
    for pk, m in need:
        got = parts.get((pk, m), {})
        settles = [p["settles_at"] for p in got.values() if p and p.get("settles_at")]
        settles_at = max(settles) if settles else None
        if settles_at is not None and settles_at > now:
            continue  # a deadline still to come: the month is read from its records until then
        rows.append(
            MonthFigures(
                account_id=pk,
                month=m,
                messages=_jsonable(got.get("messages")),
                reports=_jsonable(got.get("reports")),
                settles_at=settles_at,
                computed_at=now,
            )
        )
    with transaction.atomic():
        # Whatever is kept for the months written and is not valid any more (stale, unsettled).
        MonthFigures.objects.filter(
            account_id__in=accounts, month__in=sorted({m for _pk, m in need})
        ).exclude(pk__in=valid).delete()
        MonthFigures.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def month_figures_mark_stale(*, account_id: int, at: datetime) -> int:
    """A record received at ``at`` changed: its month's kept figures no longer hold."""
    month = month_key(at)
    return MonthFigures.objects.filter(account_id=account_id, month=month, stale=False).update(
        stale=True
    )
