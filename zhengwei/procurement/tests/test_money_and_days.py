from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhengwei.procurement.money import daxie, parse_money
from zhengwei.procurement.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    "amount,text",
    [
        ("198000.00", "壹拾玖万捌仟元整"),
        ("1000500.00", "壹佰万零伍佰元整"),
        ("105.50", "壹佰零伍元伍角整"),
        ("0.05", "伍分"),
        ("3000000.07", "叁佰万元零柒分"),
        ("0", "零元整"),
        ("100000000", "壹亿元整"),
        ("16005.00", "壹万陆仟零伍元整"),
    ],
)
def test_daxie_writes_amounts_as_on_a_contract(amount, text):
    assert daxie(Decimal(amount)) == text


def test_amounts_are_decimal_with_at_most_two_places():
    assert parse_money("198,000.5") == Decimal("198000.50")
    for bad in ("1.005", "1.000", "abc", "-1", "NaN"):
        with pytest.raises(ValidationError):
            parse_money(bad)
    with pytest.raises(ValidationError):
        parse_money(1.5)


def test_working_days_follow_the_holiday_arrangement():
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 3, 2))
    assert add_working_days(date(2026, 3, 6), 2) == date(2026, 3, 10)  # Fri → Tue
    assert working_days_between(date(2026, 3, 8), date(2026, 3, 13)) == 5
    assert add_working_days(date(2035, 1, 5), 1) == date(2035, 1, 8)  # beyond the calendar: Mon–Fri
