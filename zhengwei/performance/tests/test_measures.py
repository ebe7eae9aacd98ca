"""Every indicator measured from hand-made records, against values worked out by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from zhengwei.performance import measures
from zhengwei.performance.tests.history import NOW, november
from zhengwei.testing.factories import WeChatAccountFactory

pytestmark = pytest.mark.django_db

NOV = (date(2026, 11, 1), date(2026, 12, 1))


@pytest.fixture
def m():
    account = WeChatAccountFactory()
    november(account)
    return measures.measure_account(account, *NOV, now=NOW)


def test_days_since_last_post_is_the_longest_stretch_without_an_update(m):
    # Gaps: Oct 25 → Nov 3 = 9 d, → Nov 10 = 7 d, → Nov 20 = 10 d, Nov 20 10:00 → Dec 1 00:00 =
    # 10 d 14 h = 10.58 d (the failed push of Nov 28 is no update).
    assert m["days_since_last_post"].value == D("10.6")


def test_volume_is_measured_against_three_pushes_a_week(m):
    # 3 pushes in 30 days; plan 3 × 30/7 = 12.857; 3/12.857 = 23.3 %.
    assert m["volume_vs_plan"].value == D("23.3")


def test_original_share_counts_articles(m):
    # 6 articles in the 3 successful pushes, 1 + 1 + 2 original.
    assert m["original_ratio"].value == D("66.7")


def test_first_response_is_the_median_in_hours(m):
    # Answered after 2, 6 and 10 h (one not yet): median 6 h.
    assert m["msg_first_response_time"].value == D("6.00")


def test_resolved_within_the_deadline_counts_resolved_or_overdue_messages(m):
    # Resolved in 20 h (due 48: in time), in 100 h (late), two unresolved past due: 1 of 4.
    assert m["msg_resolved_in_sla"].value == D("25.0")


def test_messages_unanswered_for_90_days_are_counted_at_the_period_end(m):
    assert m["msg_overdue_90d"].value == D(1)


def test_escalation_latency_is_the_median_in_hours(m):
    assert m["office_escalation_latency"].value == D("2.00")  # 1 h and 3 h


def test_the_interaction_channel_works_when_messages_are_answered(m):
    assert m["interaction_channel_ok"].value == D(1)


def test_a_period_with_messages_and_no_answer_fails_the_interaction_channel():
    from zhengwei.performance.tests.history import at, conversation

    account = WeChatAccountFactory()
    conversation(account, at(11, 5, 9))
    got = measures.measure_account(account, *NOV, now=NOW)
    assert got["interaction_channel_ok"].value == D(0)


def test_incidents_are_counted_by_kind(m):
    assert m["serious_error_events"].value == D(1)
    assert m["secret_or_pii_leaks"].value == D(0)
    assert m["prohibited_content_or_links"].value == D(0)


def test_a_link_failing_three_daily_probes_in_a_row_is_broken(m):
    assert m["broken_function_rate"].value == D("50.0")  # one of two links


def test_follower_growth_adds_stored_days_and_counts_missing_days(m):
    # 27 stored days × (10 new − 2 cancelled); Nov 15, 29 and 30 have no statistics.
    assert m["follower_net_growth"].value == D(216)
    assert m["follower_net_growth"].missing_days == 3
    assert m["reads"].value == D(2700)


def test_an_account_without_statistics_has_no_value_not_zero():
    account = WeChatAccountFactory()
    got = measures.measure_account(account, *NOV, now=NOW)
    assert got["follower_net_growth"].value is None
    assert got["follower_net_growth"].missing_days == 30
    assert got["msg_first_response_time"].value is None
    assert got["original_ratio"].value is None
    assert got["days_since_last_post"].value == D("30.0")


def test_many_accounts_are_measured_together_with_the_same_results():
    a, b = WeChatAccountFactory(), WeChatAccountFactory()
    november(a)
    both = measures.measure_accounts([a, b], *NOV, now=NOW)
    alone = measures.measure_account(a, *NOV, now=NOW)
    assert {k: v.value for k, v in both[a.pk].items()} == {k: v.value for k, v in alone.items()}
    assert both[b.pk]["follower_net_growth"].value is None


def test_newsroom_figures_become_indicators(monkeypatch):
    from zhengwei.performance import measures as M

    def fake(*, account, start, end):
        return {
            "pushes_published": 12,
            "articles_published": 30,
            "originals": 21,
            "original_share": 0.7,
            "review_chain_complete_share": 0.9,
            "emergency_latency_minutes": 42.5,
            "cadence_planned": 15,
            "cadence_met": 4,
            "typo_count": 2,
            "banned_hits": 1,
            "serious_errors_published": 1,
            "median_draft_to_publish_hours": 5.25,
        }

    monkeypatch.setattr(M, "newsroom_metrics", fake)
    monkeypatch.setattr(M, "newsroom_accounts", lambda ids: set(ids))
    account = WeChatAccountFactory()
    november(account)
    got = M.measure_account(account, *NOV, now=NOW)
    assert got["review_chain_complete"].value == D("90.0")
    assert got["emergency_latency"].value == D("42.5")
    assert got["original_ratio"].value == D("70.0")  # the newsroom's articles, not the pushes
    assert got["volume_vs_plan"].value == D("80.0")  # 12 of the 15 pushes its cadence planned
    assert got["serious_error_events"].value == D(2)  # one recorded incident + one in the newsroom
    assert got["prohibited_content_or_links"].value == D(1)
    assert got["draft_to_publish_hours"].value == D("5.25")


def test_accounts_that_never_used_the_newsroom_are_not_asked(monkeypatch):
    from zhengwei.performance import measures as M

    asked = []
    monkeypatch.setattr(M, "newsroom_metrics", lambda **kw: asked.append(kw) or {})
    account = WeChatAccountFactory()
    got = M.measure_account(account, *NOV, now=NOW)
    assert asked == [] and "review_chain_complete" not in got
