"""The WeChat Communication Index (微信传播指数 WCI), version 14.2 of 清博 (gsdata), as
govrules.md §5 quotes its usage page:

    WCI = {0.6·O + 0.2·A + 0.1·H + 0.1·P}² × 1.2 × 10

where each of O, A, H and P is 0.70·ln(R+1) + 0.09·ln(10·Z+1) + 0.06·ln(10·L+1) + 0.15·ln(10·S+1)
over reads R, 在看 Z, likes L and shares S taken as:

- O (overall): the period's totals per day (÷ d, the days of the period);
- A (average): the period's totals per article (÷ n, the articles read in the period);
- H (headline): the headline articles' totals per day;
- P (peak): the highest single article's figures (each of R, Z, L, S at its own maximum).

The index is for trends and comparison between accounts, not a pass line. Pure arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleFigures:
    """One article's figures over the period."""

    reads: int
    zaikan: int = 0  # 在看
    likes: int = 0
    shares: int = 0
    headline: bool = False  # the first article of its push


def _part(r: float, z: float, likes: float, s: float) -> float:
    return (
        0.70 * math.log(r + 1)
        + 0.09 * math.log(10 * z + 1)
        + 0.06 * math.log(10 * likes + 1)
        + 0.15 * math.log(10 * s + 1)
    )


def wci(articles: Iterable[ArticleFigures], days: int) -> float | None:
    """The index over ``days`` days, rounded to 2 places; None without days or articles."""
    arts = list(articles)
    if days <= 0 or not arts:
        return None
    n = len(arts)

    def totals(rows):
        return (
            sum(a.reads for a in rows),
            sum(a.zaikan for a in rows),
            sum(a.likes for a in rows),
            sum(a.shares for a in rows),
        )

    total = totals(arts)
    heads = totals([a for a in arts if a.headline])
    o = _part(*(x / days for x in total))
    a = _part(*(x / n for x in total))
    h = _part(*(x / days for x in heads))
    p = _part(
        max(x.reads for x in arts),
        max(x.zaikan for x in arts),
        max(x.likes for x in arts),
        max(x.shares for x in arts),
    )
    return round((0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p) ** 2 * 1.2 * 10, 2)
