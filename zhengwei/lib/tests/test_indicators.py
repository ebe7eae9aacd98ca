from decimal import Decimal

import pytest

from zhengwei.lib import indicators
from zhengwei.lib.indicators import Direction


def test_the_catalogue_holds_each_indicator_once_with_a_chinese_label_unit_and_source():
    codes = indicators.codes()
    assert len(codes) == len(set(codes)) == 23
    for ind in indicators.INDICATORS:
        assert ind.label and any("\u4e00" <= ch <= "\u9fff" for ch in ind.label)
        assert ind.source
        assert ind.direction in Direction


def test_an_unknown_code_is_refused_by_name():
    with pytest.raises(KeyError, match="no_such_thing"):
        indicators.get("no_such_thing")


def test_met_follows_the_direction_of_the_indicator():
    assert indicators.met("original_ratio", Decimal("70"), Decimal("66.7"))
    assert not indicators.met("original_ratio", Decimal("60"), Decimal("66.7"))
    assert indicators.met("days_since_last_post", 3, 13)
    assert not indicators.met("days_since_last_post", 14, 13)
    assert indicators.met("interaction_channel_ok", True)
    assert not indicators.met("interaction_channel_ok", False)
    assert not indicators.met("original_ratio", None, 50)


def test_the_default_target_is_the_cited_benchmark_when_none_is_given():
    assert indicators.met("supplemental_value_ratio", Decimal("10"))
    assert not indicators.met("supplemental_value_ratio", Decimal("10.01"))


def test_the_veto_indicators_are_the_single_item_failures_of_the_national_check():
    assert {i.code for i in indicators.vetoes()} >= {
        "days_since_last_post",
        "interaction_channel_ok",
        "secret_or_pii_leaks",
    }


def test_grades_follow_the_bands_and_a_veto_makes_the_grade_poor():
    assert indicators.grade(Decimal("90")) == "优"
    assert indicators.grade(Decimal("89.99")) == "良"
    assert indicators.grade(60) == "中"
    assert indicators.grade(59) == "差"
    assert indicators.grade(95, vetoed=True) == "差"
