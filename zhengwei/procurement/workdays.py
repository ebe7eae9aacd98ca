"""Working days (工作日) as the State Council's holiday arrangement makes them (chinesecalendar);
outside the years the package knows, Monday to Friday."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` itself is not counted)."""
    current, left = day, n
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: 0 when end is not after start."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
