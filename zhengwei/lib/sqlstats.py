"""Medians and 90th percentiles of durations, computed in the database where it can.

On PostgreSQL the whole computation is one aggregate (``percentile_cont(0.5)`` for the median —
the mean of the two middle values, as ``statistics.median`` — and ``percentile_disc(0.9)`` for the
nearest-rank p90); on SQLite the durations are read and computed in Python with the same
definitions. Both give the same numbers, rounded to 0.1 s. Grouped variants give one row per key
(an account, a month) in the same single query.
"""

from __future__ import annotations

import math
import statistics
from datetime import date, datetime
from typing import Any

from django.db import connections, transaction
from django.db.models import Aggregate, Case, Count, F, FloatField, Func, QuerySet, When
from django.utils import timezone


class _Epoch(Func):
    # date_part gives double precision; EXTRACT gives numeric since PostgreSQL 14, which sorts
    # several times slower.
    template = "date_part('epoch', (%(expressions)s))"
    output_field = FloatField()


class _Percentile(Aggregate):
    template = "%(function)s(%(p)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, p: float, disc: bool = False, **extra):
        super().__init__(
            expression,
            function="percentile_disc" if disc else "percentile_cont",
            p=float(p),
            **extra,
        )


def _seconds(start_field: str, end_field: str):
    return _Epoch(F(end_field) - F(start_field))


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)], 1)


def _is_pg(qs: QuerySet) -> bool:
    return connections[qs.db].vendor == "postgresql"


def durations(qs: QuerySet, start_field: str, end_field: str) -> dict[str, Any]:
    """n, median_s and p90_s of end − start over the rows of ``qs`` where both are set (negative
    durations, clock skew, count as 0 as in the reports metrics)."""
    return durations_by(qs, start_field, end_field, group=None).get(None) or {
        "n": 0,
        "median_s": None,
        "p90_s": None,
    }


def durations_by(
    qs: QuerySet, start_field: str, end_field: str, *, group: str | None
) -> dict[Any, dict[str, Any]]:
    """As ``durations``, one entry per value of ``group`` (a field or annotation of ``qs``)."""
    qs = qs.filter(**{f"{start_field}__isnull": False, f"{end_field}__isnull": False})
    if _is_pg(qs):
        secs = Func(_seconds(start_field, end_field), 0.0, function="GREATEST")
        rows = (qs.values(group) if group else qs.values()).annotate(
            _n=Count("pk"),
            _med=_Percentile(secs, p=0.5),
            _p90=_Percentile(secs, p=0.9, disc=True),
        )
        if not group:
            rows = [
                qs.aggregate(
                    _n=Count("pk"),
                    _med=_Percentile(secs, p=0.5),
                    _p90=_Percentile(secs, p=0.9, disc=True),
                )
            ]
        out = {}
        for row in rows:
            key = row.get(group) if group else None
            if not row["_n"]:
                continue
            out[key] = {
                "n": row["_n"],
                "median_s": None if row["_med"] is None else round(row["_med"], 1),
                "p90_s": None if row["_p90"] is None else round(row["_p90"], 1),
            }
        return out
    fields = [start_field, end_field] + ([group] if group else [])
    buckets: dict[Any, list[float]] = {}
    for row in qs.values_list(*fields):
        a, b = row[0], row[1]
        key = row[2] if group else None
        buckets.setdefault(key, []).append(max(0.0, (b - a).total_seconds()))
    return {
        key: {"n": len(vals), "median_s": median(vals), "p90_s": p90(vals)}
        for key, vals in buckets.items()
    }


def summaries_by(
    qs: QuerySet,
    pairs: dict[str, tuple[str, str]],
    *,
    group: str | None,
    counts: dict[str, Any] | None = None,
    sort_mem: str = "64MB",
) -> dict[Any, dict[str, Any]]:
    """Several durations (``pairs``: name → (start field, end field)) and plain aggregates
    (``counts``: name → aggregate) per value of ``group``, in ONE pass over the rows on PostgreSQL
    (a NULL end leaves the row out of that duration: ordered-set aggregates skip NULLs). The sort
    gets ``sort_mem`` of working memory for this one statement, so a year of a busy account
    sorts in memory. On SQLite the counts are one query and the durations are computed in Python
    with the same definitions."""
    counts = counts or {}
    empty = {"n": 0, "median_s": None, "p90_s": None}
    if _is_pg(qs):
        aggs: dict[str, Any] = dict(counts)
        for name, (a, b) in pairs.items():
            # GREATEST skips NULLs (it would make a missing end 0): keep them NULL explicitly.
            secs = Case(
                When(
                    **{f"{b}__isnull": False, f"{a}__isnull": False},
                    then=Func(_seconds(a, b), 0.0, function="GREATEST"),
                ),
                default=None,
                output_field=FloatField(),
            )
            aggs[f"_{name}_n"] = Count(secs)
            aggs[f"_{name}_med"] = _Percentile(secs, p=0.5)
            aggs[f"_{name}_p90"] = _Percentile(secs, p=0.9, disc=True)
        with transaction.atomic(using=qs.db):
            with connections[qs.db].cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = %s", [sort_mem])
            rows = list(qs.values(group).annotate(**aggs)) if group else [qs.aggregate(**aggs)]
        out = {}
        for row in rows:
            key = row.pop(group) if group else None
            entry = {name: row[name] for name in counts}
            for name in pairs:
                n = row[f"_{name}_n"]
                med, p = row[f"_{name}_med"], row[f"_{name}_p90"]
                entry[name] = (
                    {
                        "n": n,
                        "median_s": None if not n or med is None else round(med, 1),
                        "p90_s": None if not n or p is None else round(p, 1),
                    }
                    if n
                    else dict(empty)
                )
            out[key] = entry
        return out
    rows = list(qs.values(group).annotate(**counts)) if group else [qs.aggregate(**counts)]
    out = {}
    for row in rows:
        key = row.pop(group) if group else None
        out[key] = {name: row[name] for name in counts}
    for name, (a, b) in pairs.items():
        got = durations_by(qs, a, b, group=group)
        for key, entry in out.items():
            entry[name] = got.get(key, dict(empty))
    return out


# --- whole-second histograms: parts that add up exactly across periods -------------------------
# A median does not add up across months; a histogram of the durations does. With durations in
# whole seconds (rounded down, negatives as 0) the histogram of a year is the sum of its months'
# and the median and p90 drawn from it are exactly those of the year's rows.


def month_key(value) -> date:
    """The first day of a TruncMonth value (a local datetime on PostgreSQL, a date or a naive
    datetime elsewhere): the one key grouped monthly figures are kept under."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1)


class _Floor(Func):
    function = "FLOOR"
    output_field = FloatField()


def histograms_by(
    qs: QuerySet, pairs: dict[str, tuple[str, str]], *, group: list[str]
) -> dict[tuple, dict[str, dict[int, int]]]:
    """{group values: {name: {whole seconds: rows}}} of end − start for each of ``pairs`` (rows
    where both are set), one grouped query per pair on PostgreSQL, in Python elsewhere."""
    out: dict[tuple, dict[str, dict[int, int]]] = {}
    for name, (a, b) in pairs.items():
        rows = qs.filter(**{f"{a}__isnull": False, f"{b}__isnull": False})
        if _is_pg(qs):
            secs = _Floor(Func(_seconds(a, b), 0.0, function="GREATEST"))
            found = (
                (tuple(row[g] for g in group), int(row["_s"]), row["_n"])
                for row in rows.annotate(_s=secs).values(*group, "_s").annotate(_n=Count("pk"))
            )
        else:
            counted: dict[tuple, int] = {}
            for start, end, *key in rows.values_list(a, b, *group):
                s = max(0, math.floor((end - start).total_seconds()))
                counted[(tuple(key), s)] = counted.get((tuple(key), s), 0) + 1
            found = ((key, s, n) for (key, s), n in counted.items())
        for key, s, n in found:
            hist = out.setdefault(key, {}).setdefault(name, {})
            hist[s] = hist.get(s, 0) + n
    return out


def merge_histograms(hists) -> dict[int, int]:
    total: dict[int, int] = {}
    for hist in hists:
        for s, n in (hist or {}).items():
            total[int(s)] = total.get(int(s), 0) + n
    return total


def histogram_summary(hist: dict[int, int] | None) -> dict[str, Any]:
    """n, median_s (the mean of the two middle values, as ``statistics.median``) and p90_s
    (nearest rank) of a whole-second histogram, as ``durations`` gives them."""
    hist = {int(s): n for s, n in (hist or {}).items() if n}
    n = sum(hist.values())
    if not n:
        return {"n": 0, "median_s": None, "p90_s": None}
    ordered = sorted(hist.items())

    def nth(k: int) -> int:  # the k-th value (0-based) in ascending order
        seen = 0
        for s, count in ordered:
            seen += count
            if k < seen:
                return s
        raise IndexError(k)

    median_ = nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2
    return {
        "n": n,
        "median_s": round(float(median_), 1),
        "p90_s": round(float(nth(max(0, math.ceil(0.9 * n) - 1))), 1),
    }
