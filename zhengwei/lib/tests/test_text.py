from datetime import date, datetime

import pytest

from zhengwei.lib.text import (
    has_nul,
    parse_day,
    parse_instant,
    parse_moment,
    spreadsheet_cell,
    spreadsheet_row,
)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(start):
    assert spreadsheet_cell(start + "SUM(A1)") == "'" + start + "SUM(A1)"


def test_ordinary_text_numbers_and_none_pass_unchanged():
    assert spreadsheet_row(["河堤渗水 =1", 3, 2.5, None, "'已引"]) == [
        "河堤渗水 =1",
        3,
        2.5,
        None,
        "'已引",
    ]


def test_control_characters_xml_cannot_hold_are_removed_but_newlines_stay():
    assert spreadsheet_cell("a\x00b\x0bc\x0cd\x1fe\nf") == "abcde\nf"


def test_a_formula_hidden_behind_a_control_character_is_still_defused():
    assert spreadsheet_cell("\x0b=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_nul_is_found_only_in_text():
    assert has_nul("a\x00") and not has_nul("a") and not has_nul(None)


@pytest.mark.parametrize("raw", ["2026-13-45", "2026-02-30", "0001-01-01", "9999-12-31", "x", ""])
def test_impossible_or_edge_dates_are_a_value_error(raw):
    with pytest.raises(ValueError):
        parse_instant(raw)


def test_a_date_or_a_date_time_is_read_as_an_aware_instant():
    assert parse_instant("2026-11-26").tzinfo is not None
    assert parse_instant("2026-11-26T08:00+08:00") == datetime.fromisoformat(
        "2026-11-26T08:00+08:00"
    )


def test_the_forgiving_parsers_answer_none_for_what_is_not_a_date():
    assert parse_day("2026-11-26") == date(2026, 11, 26)
    assert parse_moment("2026-11-26T08:00").hour == 8
    for raw in ("2026-13-45", "2026-13-45T10:00", "soon", "", None):
        assert parse_day(raw) is None and parse_moment(raw) is None
