from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhengwei.procurement.models import Step
from zhengwei.procurement.services import aftercare
from zhengwei.procurement.tests.flow import run_to


def test_a_missed_veto_indicator_fails_the_acceptance_and_blocks_payment(world):
    case = run_to(world, Step.ACCEPTANCE)
    acc = aftercare.acceptance_record(
        actor=case.buyer,
        contract=case.contract,
        period_label="2026年4月",
        accepted_on=date(2026, 5, 8),
        members=[case.buyer, world["office_reviewer"]],
        measured={"volume_vs_plan": "100", "original_ratio": "70", "days_since_last_post": "15"},
        period_fee="16500.00",
    )
    assert not acc.passed and acc.deduction == Decimal("1650.00")
    with pytest.raises(ValidationError, match="先验收|验收合格后"):
        aftercare.payment_record(
            actor=case.buyer, acceptance=acc, amount="1000", paid_on=date(2026, 5, 20)
        )


def test_the_acceptance_panel_has_at_least_two_office_people(world):
    case = run_to(world, Step.ACCEPTANCE)
    kw = {
        "actor": case.buyer,
        "contract": case.contract,
        "period_label": "2026年4月",
        "accepted_on": date(2026, 5, 8),
        "measured": {},
        "period_fee": "16500.00",
    }
    with pytest.raises(ValidationError, match="不少于2人"):
        aftercare.acceptance_record(members=[case.buyer], **kw)
    with pytest.raises(ValidationError, match="不少于2人"):
        aftercare.acceptance_record(members=[case.buyer, world["project_manager"]], **kw)


def test_a_payment_above_the_fee_less_deductions_is_refused(world):
    case = run_to(world, Step.PAYMENT)
    with pytest.raises(ValidationError):
        aftercare.payment_record(
            actor=case.buyer,
            acceptance=case.acceptance,
            amount="16500.00",
            paid_on=date(2026, 5, 15),
        )


def test_renewal_is_refused_with_a_poor_grade(world):
    case = run_to(world)
    review = case.contract.reviews.get()
    review.score = Decimal("55")
    review.save()
    with pytest.raises(ValidationError, match="差"):
        aftercare.renewal_decide(
            actor=case.buyer,
            purchase=case.purchase,
            decision="renew",
            on=date(2027, 1, 5),
            reason="续签",
        )
    new = aftercare.renewal_decide(
        actor=case.buyer,
        purchase=case.purchase,
        decision="reprocure",
        on=date(2027, 1, 5),
        reason="绩效差，重新采购",
    )
    assert new.follows == case.contract
    assert aftercare.prefill(new, Step.REQUIREMENTS)["deliverables"].startswith("每周")


def test_the_scorecard_sums_the_year(world):
    case = run_to(world)
    card = aftercare.scorecard(case.contract)
    assert card["average"] == Decimal("88.00") and card["grade"] == "良"
    assert card["deductions"] == Decimal("495.00") and card["paid"] == Decimal("16005.00")
