"""A scorecard from computation to sign-off: review steps, refusals, and the bad inputs the issue
names (an item disputed twice, a period overlapping a signed one)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.performance import services
from zhengwei.performance.models import ItemReview, ItemStatus, ScorecardState
from zhengwei.performance.tests.history import NOW, november

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world, table):
    november(world.account)
    return services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 15),
        now=NOW,
        table=table,
    )


def test_the_scorecard_is_built_from_the_service_level_table(card):
    items = {i.code: i for i in card.items.all()}
    assert list(items) == [
        "days_since_last_post",
        "volume_vs_plan",
        "original_ratio",
        "msg_first_response_time",
        "interaction_channel_ok",
        "follower_net_growth",
    ]
    # days 10.6 ≤ 13: 20; volume 23.3 % of 100: 20 × 0.233 = 4.7; original 66.7 ≥ 50: 20;
    # first response 6 h ≤ 8: 20; channel works: 10; growth 216 ≥ 100: 10. Total 84.7 (良)…
    assert items["volume_vs_plan"].points == D("4.7")
    assert card.uncapped == D("84.7")
    # … but the contract's table does not list serious errors or broken links; the national
    # vetoes still apply (a serious error on Nov 12, a menu link failing 3 days in a row): 差.
    assert card.vetoed is True and card.total == D(59) and card.band == "poor"
    assert card.veto_codes == ["broken_function_rate", "serious_error_events"]
    # Only the volume item missed its target: −2 %.
    assert card.payment_pct == D("-2")


def test_without_veto_events_the_band_follows_the_score(world, table):
    from zhengwei.performance.models import Incident, MenuProbe

    november(world.account)
    Incident.objects.all().delete()
    MenuProbe.objects.all().delete()
    card = services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 15),
        now=NOW,
        table=table,
    )
    assert card.vetoed is False and card.total == D("84.7") and card.band == "good"


def test_the_office_confirms_disputes_the_contractor_responds_the_office_adjusts(world, card):
    items = {i.code: i for i in card.items.all()}
    reviewer, pm = world["office_reviewer"], world["project_manager"]
    services.scorecard_item_dispute(
        actor=reviewer, item=items["volume_vs_plan"], comment="计划应按每周2次"
    )
    services.scorecard_item_respond(
        actor=pm, item=items["volume_vs_plan"], comment="合同附件为每周3次"
    )
    services.scorecard_item_adjust(
        actor=reviewer, item=items["volume_vs_plan"], points="10", comment="协商"
    )
    for code, item in items.items():
        if code != "volume_vs_plan":
            services.scorecard_item_confirm(actor=reviewer, item=item)
    card.refresh_from_db()
    assert card.state == ScorecardState.REVIEWING
    steps = list(
        ItemReview.objects.filter(item=items["volume_vs_plan"]).values_list("kind", flat=True)
    )
    assert steps == ["dispute", "respond", "adjust"]
    services.scorecard_sign(actor=world["office_leader"], scorecard=card, comment="同意验收")
    card.refresh_from_db()
    assert card.state == ScorecardState.SIGNED and card.signed_by == world["office_leader"]
    # 84.7 − 4.7 + 10 = 90.0 before the cap, still capped by the vetoes.
    assert card.uncapped == D("90.0") and card.total == D(59) and card.band == "poor"


def test_an_item_is_disputed_only_once(world, card):
    item = card.items.get(code="original_ratio")
    reviewer = world["office_reviewer"]
    services.scorecard_item_dispute(actor=reviewer, item=item, comment="原创标注有误")
    services.scorecard_item_confirm(actor=reviewer, item=item)
    with pytest.raises(ValidationError, match="已提出过一次异议"):
        services.scorecard_item_dispute(actor=reviewer, item=item, comment="再次质疑")


def test_a_dispute_needs_a_reason(world, card):
    with pytest.raises(ValidationError):
        services.scorecard_item_dispute(
            actor=world["office_reviewer"], item=card.items.first(), comment=" "
        )


def test_the_contractor_cannot_confirm_and_the_office_cannot_respond(world, card):
    item = card.items.first()
    with pytest.raises(PermissionDenied):
        services.scorecard_item_confirm(actor=world["project_manager"], item=item)
    services.scorecard_item_dispute(actor=world["office_reviewer"], item=item, comment="有误")
    with pytest.raises(PermissionDenied):
        services.scorecard_item_respond(actor=world["office_reviewer"], item=item, comment="x")


def test_signing_needs_every_item_settled(world, card):
    with pytest.raises(ValidationError, match="未定"):
        services.scorecard_sign(actor=world["office_leader"], scorecard=card)


def _sign_all(world, card):
    for item in card.items.all():
        services.scorecard_item_confirm(actor=world["office_reviewer"], item=item)
    services.scorecard_sign(actor=world["office_leader"], scorecard=card)


def test_a_signed_scorecard_is_not_recomputed_and_its_items_do_not_change(world, card, table):
    _sign_all(world, card)
    with pytest.raises(ValidationError, match="已签认"):
        services.scorecard_compute(
            actor=world["office_reviewer"],
            account=world.account,
            period="month",
            day=date(2026, 11, 2),
            now=NOW,
            table=table,
        )
    with pytest.raises(ValidationError, match="已签认"):
        services.scorecard_item_confirm(actor=world["office_reviewer"], item=card.items.first())


def test_a_card_under_review_is_not_recomputed(world, card, table):
    services.scorecard_item_confirm(actor=world["office_reviewer"], item=card.items.first())
    with pytest.raises(ValidationError, match="已进入审核"):
        services.scorecard_compute(
            actor=world["office_reviewer"],
            account=world.account,
            period="month",
            day=date(2026, 11, 2),
            now=NOW,
            table=table,
        )


def test_no_contract_means_no_scorecard_and_says_so(world):
    with pytest.raises(ValidationError, match="没有生效"):
        services.scorecard_compute(
            actor=world["office_reviewer"],
            account=world.account,
            period="month",
            day=date(2026, 11, 2),
            now=NOW,
        )


def test_periods(world):
    assert services.period_bounds("month", date(2026, 12, 9)) == (
        date(2026, 12, 1),
        date(2027, 1, 1),
    )
    assert services.period_bounds("quarter", date(2026, 11, 9)) == (
        date(2026, 10, 1),
        date(2027, 1, 1),
    )
    assert services.period_bounds("quarter", date(2026, 5, 9)) == (
        date(2026, 4, 1),
        date(2026, 7, 1),
    )
    assert services.period_bounds("year", date(2026, 5, 9)) == (date(2026, 1, 1), date(2027, 1, 1))


def test_item_statuses_after_review(world, card):
    item = card.items.first()
    services.scorecard_item_confirm(actor=world["office_reviewer"], item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.CONFIRMED


def test_the_scorecard_uses_the_contract_in_force_and_its_service_levels(world):
    from zhengwei.procurement.tests.helpers import make_contract

    november(world.account)
    contract = make_contract(
        world.account,
        levels=(("original_ratio", "60", "50", "2"), ("msg_first_response_time", "4", "50", "3")),
    )
    card = services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 15),
        now=NOW,
    )
    assert card.contract_id == contract.pk
    items = {i.code: i for i in card.items.all()}
    assert list(items) == ["original_ratio", "msg_first_response_time"]
    # original 66.7 ≥ 60: 50; first response 6 h vs 4 h: 50 × (1 − 2/4) = 25. 75 before the cap;
    # the first response missed its target: −3 % of the fee.
    assert card.uncapped == D("75.0") and card.payment_pct == D("-3")


def test_the_contractor_hears_of_a_dispute_and_the_office_of_the_response(world, card):
    from zhengwei.notify.models import Notification

    item = card.items.first()
    services.scorecard_item_dispute(actor=world["office_reviewer"], item=item, comment="有误")
    assert Notification.objects.filter(
        recipient=world["project_manager"], kind="performance.scorecard"
    ).exists()
    services.scorecard_item_respond(actor=world["project_manager"], item=item, comment="已核实")
    assert Notification.objects.filter(
        recipient=world["office_leader"], kind="performance.scorecard"
    ).exists()
