"""The scorecard arithmetic, with hand-computed numbers."""

from decimal import Decimal as D

from zhengwei.performance import scoring
from zhengwei.performance.scoring import AT_LEAST, AT_MOST, MUST_HOLD, Level


def test_an_at_least_item_earns_points_in_proportion_to_the_target_reached():
    item = scoring.score_item(Level("original_ratio", D(10), D(60), AT_LEAST), D(45))
    assert item.points == D("7.5")  # 10 × 45/60
    assert item.met is False


def test_an_at_least_item_never_earns_more_than_its_points():
    item = scoring.score_item(Level("volume_vs_plan", D(10), D(100), AT_LEAST), D(150))
    assert item.points == D(10) and item.met is True


def test_an_at_most_item_loses_points_in_proportion_to_the_excess():
    # target 8 h, value 10 h: 25 % over, so 75 % of 20 points.
    item = scoring.score_item(Level("msg_first_response_time", D(20), D(8), AT_MOST), D(10))
    assert item.points == D("15.0")
    assert scoring.score_item(Level("x", D(20), D(8), AT_MOST), D(16)).points == D(0)
    assert scoring.score_item(Level("x", D(20), D(8), AT_MOST), D(8)).points == D(20)


def test_a_zero_target_is_all_or_nothing():
    level = Level("serious_error_events", D(5), D(0), AT_MOST, veto=True)
    assert scoring.score_item(level, D(0)).points == D(5)
    missed = scoring.score_item(level, D(1))
    assert missed.points == D(0) and missed.vetoed is True


def test_a_must_hold_item_is_all_or_nothing():
    level = Level("interaction_channel_ok", D(5), D(1), MUST_HOLD)
    assert scoring.score_item(level, True).points == D(5)
    assert scoring.score_item(level, D(0)).points == D(0)


def test_bands_follow_the_2020_rules():
    assert [scoring.band_of(v) for v in (D(90), D("89.9"), D(80), D("79.9"), D(60), D("59.9"))] == [
        "excellent",
        "good",
        "good",
        "fair",
        "fair",
        "poor",
    ]


def test_a_missing_value_is_left_out_and_the_total_is_scaled_never_scored_as_zero():
    levels = [Level("a", D(60), D(10), AT_LEAST), Level("b", D(40), D(10), AT_LEAST)]
    card = scoring.score_card(levels, {"a": D(5)})  # b has no data
    # a earns 30 of 60; scaled to 100: 50.
    assert card.raw == D(30) and card.scored_max == D(60)
    assert card.total == D(50) and card.scaled is True and card.band == "poor"
    assert card.items[1].points is None


def test_a_veto_caps_the_total_at_59():
    levels = [
        Level("days_since_last_post", D(10), D(13), AT_MOST, veto=True),
        Level("original_ratio", D(90), D(50), AT_LEAST),
    ]
    card = scoring.score_card(levels, {"days_since_last_post": D(20), "original_ratio": D(60)})
    # days: 20 vs 13 → 1 − 7/13 = 0.4615 × 10 = 4.6; original 90; raw 94.6 → capped 59.
    assert card.raw == D("94.6")
    assert card.total == D(59) and card.vetoed and card.band == "poor"
    assert card.veto_codes == ["days_since_last_post"]


def test_a_national_veto_outside_the_table_still_caps():
    card = scoring.score_card(
        [Level("a", D(100), D(1), AT_LEAST)], {"a": D(1)}, extra_vetoes=["secret_or_pii_leaks"]
    )
    assert card.total == D(59) and card.veto_codes == ["secret_or_pii_leaks"]


def test_the_payment_adjustment_adds_the_deductions_of_missed_levels():
    levels = [
        Level("a", D(50), D(10), AT_LEAST, deduction_percent=D(2)),
        Level("b", D(30), D(10), AT_LEAST, deduction_percent=D("3.5")),
        Level("c", D(20), D(10), AT_LEAST, deduction_percent=D(5)),
    ]
    card = scoring.score_card(levels, {"a": D(5), "b": D(4), "c": None})
    # a and b missed (c has no data and deducts nothing): −5.5 %.
    assert scoring.payment_adjustment(card.items, levels) == D("-5.5")
