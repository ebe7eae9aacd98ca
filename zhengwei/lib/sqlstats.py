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
from typing import Any

from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Func, QuerySet


class _Epoch(Func):
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
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
