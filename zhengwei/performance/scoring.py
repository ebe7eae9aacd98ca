"""The scorecard arithmetic, as pure functions (no database): one item's points from its service
level and its measured value, the 100-point total, the band, the veto cap and the payment
adjustment.

Rules (govrules.md (a) rows 21–22; 财预〔2020〕10号):
- An item with no value (data missing) is left out and the total is scaled to 100 over the points
  that could be scored — the 19号 rule for indicators that do not apply (75 points × 4/3) — and
  the card says so; a missing value is never scored as zero.
- "at most" items (lower is better: latency, errors, days since the last post) earn full points
  at or under the target and lose them in proportion to the excess (all of them at twice the
  target); a zero target is all-or-nothing.
- "at least" items (higher is better: shares, growth, cadence) earn points in proportion to the
  value reached, full at the target.
- "must hold" items (booleans: the interaction channel works) are all-or-nothing.
- A veto event (单项否决) caps the total at 59 (差), whatever the other items earn.
- Bands: 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# The directions of zhengwei.lib.indicators.Direction (the one catalogue).
AT_MOST = "lower"
AT_LEAST = "higher"
MUST_HOLD = "pass"

VETO_CAP = Decimal("59")

BAND_EXCELLENT = "excellent"
BAND_GOOD = "good"
BAND_FAIR = "fair"
BAND_POOR = "poor"


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Level:
    """One row of a contract's service-level table, as the scorecard needs it."""

    code: str
    points: Decimal
    target: Decimal | None
    direction: str = AT_LEAST
    veto: bool = False  # a miss is a 单项否决 event
    deduction_percent: Decimal = Decimal(0)  # of the period's fee, when the target is missed


@dataclass
class ItemScore:
    code: str
    points_max: Decimal
    target: Decimal | None
    value: Decimal | None
    points: Decimal | None  # None: not scored (value missing)
    met: bool | None
    vetoed: bool = False


@dataclass
class CardScore:
    items: list[ItemScore]
    raw: Decimal  # points earned over the scored items
    scored_max: Decimal  # points that could be scored
    total: Decimal  # out of 100, scaled, then capped on veto
    uncapped: Decimal  # out of 100, scaled, before the veto cap
    band: str
    vetoed: bool
    scaled: bool  # some items were missing and the total was scaled
    veto_codes: list[str] = field(default_factory=list)


def score_item(level: Level, value) -> ItemScore:
    points_max = _d(level.points)
    target = None if level.target is None else _d(level.target)
    if value is None:
        return ItemScore(level.code, points_max, target, None, None, None)
    if isinstance(value, bool):
        value = Decimal(1 if value else 0)
    value = _d(value)
    if level.direction == MUST_HOLD:
        met = value >= (target if target is not None else Decimal(1))
        share = Decimal(1) if met else Decimal(0)
    elif level.direction == AT_MOST:
        if target is None:
            raise ValueError(f"{level.code}: an 'at most' level needs a target")
        met = value <= target
        if met:
            share = Decimal(1)
        elif target == 0:
            share = Decimal(0)
        else:
            share = max(Decimal(0), 1 - (value - target) / target)
    else:
        if target is None or target == 0:
            met, share = True, Decimal(1)
        else:
            met = value >= target
            share = min(Decimal(1), max(Decimal(0), value / target))
    return ItemScore(
        level.code,
        points_max,
        target,
        value,
        _round(points_max * share),
        met,
        vetoed=bool(level.veto and not met),
    )


def band_of(total) -> str:
    total = _d(total)
    if total >= 90:
        return BAND_EXCELLENT
    if total >= 80:
        return BAND_GOOD
    if total >= 60:
        return BAND_FAIR
    return BAND_POOR


def total_of(items: Iterable[ItemScore], *, extra_vetoes: Iterable[str] = ()) -> CardScore:
    """Add the items up (points possibly overridden by review), scale, cap, band."""
    items = list(items)
    scored = [i for i in items if i.points is not None]
    raw = sum((i.points for i in scored), Decimal(0))
    scored_max = sum((i.points_max for i in scored), Decimal(0))
    full_max = sum((i.points_max for i in items), Decimal(0))
    if scored_max:
        total = raw * Decimal(100) / scored_max if full_max else Decimal(0)
    else:
        total = Decimal(0)
    total = uncapped = _round(total)
    veto_codes = [i.code for i in items if i.vetoed] + [c for c in extra_vetoes]
    vetoed = bool(veto_codes)
    if vetoed:
        total = min(total, VETO_CAP)
    return CardScore(
        items=items,
        raw=_round(raw),
        scored_max=scored_max,
        total=total,
        uncapped=uncapped,
        band=band_of(total),
        vetoed=vetoed,
        scaled=scored_max != full_max,
        veto_codes=sorted(set(veto_codes)),
    )


def score_card(levels: Iterable[Level], values: dict, *, extra_vetoes: Iterable[str] = ()):
    return total_of(
        [score_item(lv, values.get(lv.code)) for lv in levels], extra_vetoes=extra_vetoes
    )


def payment_adjustment(items: Iterable[ItemScore], levels: Iterable[Level]) -> Decimal:
    """The fee adjustment in percent of the period's fee: minus the deduction of every service
    level whose target was missed (a missing value deducts nothing), at most −100 %."""
    deduction = {lv.code: _d(lv.deduction_percent) for lv in levels}
    total = sum((deduction.get(i.code, Decimal(0)) for i in items if i.met is False), Decimal(0))
    return -min(total, Decimal(100))
