"""A signed monthly scorecard becomes the contract's review of the month in procurement (by the
``scorecard.signed`` event), so the year's grade and the renewal decision read signed results."""

from datetime import date
from decimal import Decimal as D

import pytest

from zhengwei.performance import services
from zhengwei.performance.models import Incident, MenuProbe
from zhengwei.performance.tests.history import NOW, november
from zhengwei.procurement.models import Step
from zhengwei.procurement.services import aftercare
from zhengwei.procurement.tests.helpers import make_contract

pytestmark = pytest.mark.django_db


def _signed(world, capture, *, vetoes: bool):
    november(world.account)
    if not vetoes:
        Incident.objects.all().delete()
        MenuProbe.objects.all().delete()
    card = services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 1),
        now=NOW,
    )
    for item in card.items.all():
        services.scorecard_item_confirm(actor=world["office_reviewer"], item=item)
    with capture(execute=True):
        return services.scorecard_sign(actor=world["office_leader"], scorecard=card)


def test_the_signed_scorecard_is_the_months_review_and_moves_monitoring_on(
    world, django_capture_on_commit_callbacks
):
    contract = make_contract(world.account)
    card = _signed(world, django_capture_on_commit_callbacks, vetoes=False)

    review = contract.reviews.get()
    assert review.period == date(2026, 11, 1)
    assert review.score == card.total and review.scorecard_ref == card.pk
    assert review.vetoed is False and review.findings
    contract.purchase.refresh_from_db()
    assert contract.purchase.step == Step.ACCEPTANCE
    year = aftercare.scorecard(contract)
    assert year["average"] == card.total and year["grade"] != "差"


def test_a_signed_veto_month_makes_the_year_poor_and_replaces_a_hand_entered_score(
    world, django_capture_on_commit_callbacks
):
    contract = make_contract(world.account)
    aftercare.review_record(
        actor=world["procurement_officer"],
        contract=contract,
        period=date(2026, 11, 1),
        reviewed_on=date(2026, 12, 2),
        score="95",
        findings="月度检查良好",
    )
    card = _signed(world, django_capture_on_commit_callbacks, vetoes=True)

    review = contract.reviews.get()
    assert card.vetoed is True and review.vetoed is True
    assert review.score == card.total == D("59.0")
    assert "月度检查良好" in review.findings
    year = aftercare.scorecard(contract)
    assert year["vetoed"] is True and year["grade"] == "差"
