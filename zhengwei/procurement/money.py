"""Money in yuan as ``Decimal`` with two places (never float), and its 大写 form for documents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwei.procurement import rules

CENT = Decimal("0.01")
MAX = Decimal("999999999999.99")


def parse_money(value, *, field: str = "") -> Decimal:
    """A yuan amount: a number with at most two decimals, not negative. Refused with the rule
    named otherwise (never rounded silently: 1.005 is an error, not 1.01)."""
    if isinstance(value, float):
        raise ValidationError(_("Amounts are never floats.") + f"（{rules.MONEY}）")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("%(field)s is not an amount.") % {"field": field or _("The amount")}
            + f"（{rules.MONEY}）"
        ) from None
    if not amount.is_finite():
        raise ValidationError(
            _("%(field)s is not an amount.") % {"field": field or _("The amount")}
        )
    if amount.as_tuple().exponent < -2:
        raise ValidationError(
            _("%(field)s has more than two decimals.") % {"field": field or _("The amount")}
            + f"（{rules.MONEY}）"
        )
    if amount < 0 or amount > MAX:
        raise ValidationError(
            _("%(field)s is out of range.") % {"field": field or _("The amount")}
            + f"（{rules.MONEY}）"
        )
    return amount.quantize(CENT)


def yuan(amount: Decimal | None) -> str:
    """198000.00 → ¥198,000.00"""
    if amount is None:
        return "—"
    return f"¥{amount:,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
_GROUPS = ("", "万", "亿", "万亿")


def _group(g: int) -> str:
    out, zero = "", False
    for power, unit in _SMALL:
        d = g // 10**power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + unit
    return out


def _integer(n: int) -> str:
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (g < 1000 or gap):
            out += "零"
        out += _group(g) + _GROUPS[i]
        gap = False
    return out


def daxie(amount: Decimal) -> str:
    """The amount in capital numerals as on a government contract: 198000.50 → 壹拾玖万捌仟元伍角整."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents = int((amount - whole) * 100)
    jiao, fen = divmod(cents, 10)
    text = sign + (_integer(whole) + "元" if whole else "")
    if not cents:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text
