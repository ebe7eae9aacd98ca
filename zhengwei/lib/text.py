"""Text from outside (citizens, API clients, imported files) made safe for where it goes next.

- ``spreadsheet_cell(value)`` is the one rule every CSV and Excel export applies to each cell.
  A spreadsheet runs a cell that starts with ``= + - @``, a tab or a carriage return as a formula
  (``=HYPERLINK(...)`` from a citizen would then be a link in a duty officer's Excel), so such a
  text gets a leading apostrophe, as OWASP's CSV-injection page recommends. Control characters
  that XML 1.0 cannot hold (``\\x0b`` from a pasted description, NUL) are removed: openpyxl
  refuses them, which used to turn the whole export into a 500. Numbers, dates and ``None`` pass
  through unchanged so spreadsheets still add them up.
- ``parse_instant(raw)`` reads a date or date-time from a query parameter; anything that is not
  one (``2026-13-45`` included, on which Django's parsers raise rather than answer None, and
  years at the edge of the calendar where a window's arithmetic overflows) is a ``ValueError``.
  ``parse_moment(raw)`` and ``parse_day(raw)`` are the forgiving forms for staff forms and
  filters: anything that is not a date is ``None`` (the page says so), never a 500.
- ``has_nul(value)`` tells whether a text holds a NUL, which PostgreSQL's text columns cannot
  store (``DataError``): callers refuse such input with a 400 instead of failing on save.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What XML 1.0 (and so .xlsx) cannot hold: C0 controls other than tab, newline and carriage return.
# The same set as openpyxl's ILLEGAL_CHARACTERS_RE, kept here so lib needs no openpyxl.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def spreadsheet_row(values) -> list[Any]:
    return [spreadsheet_cell(v) for v in values]


def has_nul(value: Any) -> bool:
    return isinstance(value, str) and "\x00" in value


def parse_instant(raw: str) -> datetime:
    value = parse_datetime(raw)  # raises ValueError on a well-formed but impossible date
    if value is None:
        day = parse_date(raw)
        if day is not None:
            value = datetime(day.year, day.month, day.day)
    if value is None or not 2 <= value.year <= 9998:
        raise ValueError(f"not a date: {raw[:40]!r}")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def parse_moment(raw: str | None) -> datetime | None:
    try:
        return parse_instant(raw or "")
    except ValueError:
        return None


def parse_day(raw: str | None) -> date | None:
    try:
        return parse_date(raw or "")
    except ValueError:
        return None
