"""Followers and reads from the stored WeChat statistics, aggregated in the database for many
accounts (or months) at once — the same definitions as ``selectors.stats_days``: new and
cancelled followers add up getusersummary's user_source rows, the follower total is
getusercumulate's, reads are getbizsummary's whole-account figure. A day with no stored row is
*missing* (WeChat keeps statistics only for a limited span): it is counted as missing, never as 0.
Callers check the policy (``wechat.stats.view``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, IntegerField, Max, Min, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth

from zhengwei.wechat.outbound.models import DatacubeRow


def _int(name: str, *path: str):
    expr: Any = "data"
    for part in path:
        expr = KeyTextTransform(part, expr)
    return Cast(KeyTextTransform(name, expr), IntegerField())


def follower_read_figures(
    *, account_ids: Iterable[int], start: date, end: date, by: str = "account"
) -> dict[Any, dict[str, Any]]:
    """{account_id (``by="account"``), month start (``"month"``) or day (``"day"``): new, cancelled, net, followers_first, followers_last,
    reads, shares, days, days_with_data, missing_days} for the days in [start, end)."""
    ids = list(account_ids)
    base = DatacubeRow.objects.filter(account_id__in=ids, ref_date__gte=start, ref_date__lt=end)
    key = {"account": "account_id", "month": "month", "day": "ref_date"}[by]
    if by == "month":
        base = base.annotate(month=TruncMonth("ref_date"))
    out: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {"new": 0, "cancelled": 0, "reads": 0, "shares": 0}
    )
    for row in (
        base.filter(endpoint="getusersummary")
        .values(key)
        .annotate(new=Sum(_int("new_user")), cancelled=Sum(_int("cancel_user")))
    ):
        out[row[key]].update(new=row["new"] or 0, cancelled=row["cancelled"] or 0)
    for row in (
        base.filter(endpoint="getbizsummary")
        .values(key)
        .annotate(reads=Sum(_int("read_user", "detail")), shares=Sum(_int("share_user", "detail")))
    ):
        out[row[key]].update(reads=row["reads"] or 0, shares=row["shares"] or 0)
    cumulate = base.filter(endpoint="getusercumulate")
    for row in cumulate.values(key).annotate(first=Min("ref_date"), last=Max("ref_date")):
        out[row[key]].update(first_day=row["first"], last_day=row["last"])
    # The follower totals on the first and last day with data (one small query each side).
    firsts = {k: v.get("first_day") for k, v in out.items()}
    lasts = {k: v.get("last_day") for k, v in out.items()}
    days_wanted = {d for d in list(firsts.values()) + list(lasts.values()) if d}
    totals: dict[tuple, int] = {}
    for acc, ref_date, total, *month in cumulate.filter(ref_date__in=days_wanted).values_list(
        "account_id", "ref_date", _int("cumulate_user"), *([key] if by == "month" else [])
    ):
        k = {"account": acc, "month": month[0] if month else None, "day": ref_date}[by]
        totals[(k, ref_date)] = total
    # Days with data: a day counts when its follower summary is stored.
    for row in (
        base.filter(endpoint__in=["getusersummary", "getusercumulate"])
        .values(key)
        .annotate(days=Count("ref_date", distinct=True))
    ):
        out[row[key]]["days_with_data"] = row["days"]
    for k, row in out.items():
        row["net"] = row["new"] - row["cancelled"]
        row["followers_first"] = totals.get((k, row.get("first_day")))
        row["followers_last"] = totals.get((k, row.get("last_day")))
        row.setdefault("days_with_data", 0)
    return dict(out)


def span_days(start: date, end: date, *, today: date) -> int:
    """Days of [start, end) that can have statistics by ``today`` (WeChat's are a day late)."""
    last = min(end, today)
    return max(0, (last - start).days)


def missing_days(*, account_id: int, start: date, end: date, today: date) -> list[date]:
    """The days of [start, end) (up to yesterday) with no stored follower statistics."""
    have = set(
        DatacubeRow.objects.filter(
            account_id=account_id,
            endpoint__in=["getusersummary", "getusercumulate"],
            ref_date__gte=start,
            ref_date__lt=min(end, today),
        ).values_list("ref_date", flat=True)
    )
    return [
        start + timedelta(days=n)
        for n in range(span_days(start, end, today=today))
        if start + timedelta(days=n) not in have
    ]


def article_figures(
    *, account_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[str, dict[str, int]]]:
    """{account_id: {msgid: reads, zaikan (在看), likes, shares, days}} summed over the stored
    daily article figures (getarticleread) of [start, end). A msgid is "<push>_<position>", the
    headline at position 1."""
    rows = (
        DatacubeRow.objects.filter(
            account_id__in=list(account_ids),
            endpoint="getarticleread",
            ref_date__gte=start,
            ref_date__lt=end,
        )
        .annotate(msgid=KeyTextTransform("msgid", "data"))
        .values("account_id", "msgid")
        .annotate(
            reads=Sum(_int("read_user", "detail")),
            zaikan=Sum(_int("zaikan_user", "detail")),
            likes=Sum(_int("like_user", "detail")),
            shares=Sum(_int("share_user", "detail")),
            days=Count("ref_date", distinct=True),
        )
    )
    out: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        out[row["account_id"]][row["msgid"] or ""] = {
            k: row[k] or 0 for k in ("reads", "zaikan", "likes", "shares", "days")
        }
    return dict(out)
