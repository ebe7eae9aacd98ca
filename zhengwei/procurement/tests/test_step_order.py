import pytest
from django.core.exceptions import ValidationError

from zhengwei.procurement.models import Artefact, Purchase, Step
from zhengwei.procurement.services import purchases
from zhengwei.procurement.tests.flow import day, run_to


def test_a_step_is_blocked_until_the_previous_one_has_its_artefact(world):
    case = run_to(world, Step.BUDGET)
    with pytest.raises(ValidationError, match="依次完成") as exc:
        purchases.requirements_record(
            actor=case.buyer,
            purchase=case.purchase,
            on=day(2),
            estimated_total="1000",
            term_months=12,
            deliverables="x",
        )
    assert "预算批复及绩效目标表" in str(exc.value)


def test_a_missing_budget_is_refused_with_the_rule(world):
    case = run_to(world, Step.BUDGET)
    with pytest.raises(ValidationError, match="先有预算、后购买服务"):
        purchases.budget_record(
            actor=case.buyer,
            purchase=case.purchase,
            budget_line="",
            amount="0",
            approved_on=day(0),
            on=day(1),
            targets=[],
        )
    assert not Artefact.objects.filter(purchase=case.purchase, step=Step.BUDGET).exists()


def test_a_date_before_the_previous_step_is_refused_and_nothing_is_saved(world):
    case = run_to(world, Step.BUDGET)
    with pytest.raises(ValidationError, match="不得早于上一步骤"):
        purchases.budget_record(
            actor=case.buyer,
            purchase=case.purchase,
            budget_line="经费",
            amount="200000",
            approved_on=day(-5),
            on=day(-1),
            targets=[{"indicator": "original_ratio", "target": "60"}],
        )
    case.purchase.refresh_from_db()
    assert case.purchase.step == Step.BUDGET
    assert not Artefact.objects.filter(purchase=case.purchase, step=Step.BUDGET).exists()


def test_an_amount_with_more_than_two_decimals_is_refused(world):
    case = run_to(world, Step.BUDGET)
    with pytest.raises(ValidationError, match="最多两位小数"):
        purchases.budget_record(
            actor=case.buyer,
            purchase=case.purchase,
            budget_line="经费",
            amount="200000.005",
            approved_on=day(0),
            on=day(1),
            targets=[{"indicator": "original_ratio", "target": "60"}],
        )


def test_a_service_on_the_negative_list_is_refused(world):
    case = run_to(world, Step.ELIGIBILITY)
    with pytest.raises(ValidationError, match="负面清单"):
        purchases.eligibility_record(
            actor=case.buyer,
            purchase=case.purchase,
            category="auxiliary",
            negative_hits=["staffing"],
            office_keeps_final_review=True,
            on=day(0),
        )


def test_handing_the_final_review_to_the_contractor_is_refused(world):
    case = run_to(world, Step.ELIGIBILITY)
    with pytest.raises(ValidationError, match="终审"):
        purchases.eligibility_record(
            actor=case.buyer,
            purchase=case.purchase,
            category="auxiliary",
            negative_hits=[],
            office_keeps_final_review=False,
            on=day(0),
        )


def test_an_estimate_above_the_budget_is_refused(world):
    case = run_to(world, Step.REQUIREMENTS)
    with pytest.raises(ValidationError, match="预算"):
        purchases.requirements_record(
            actor=case.buyer,
            purchase=case.purchase,
            on=day(2),
            estimated_total="250000",
            term_months=12,
            deliverables="x",
        )


def test_an_ocid_without_the_configured_prefix_is_refused(world):
    with pytest.raises(ValidationError, match="PROCUREMENT_OCID_PREFIX"):
        purchases.purchase_create(
            actor=world["procurement_officer"],
            account=world.account,
            title="x",
            year=2026,
            ocid="ocds-abcdef-1",
        )
    assert not Purchase.objects.exists()


def test_generated_ocids_carry_the_test_prefix(world):
    case = run_to(world, Step.ELIGIBILITY)
    assert case.purchase.ocid.startswith("ocds-zw0tst-")


def test_only_the_buyer_runs_a_purchase(world):
    from django.core.exceptions import PermissionDenied

    for role in ("office_leader", "auditor", "project_manager", "duty_officer"):
        with pytest.raises(PermissionDenied):
            purchases.purchase_create(
                actor=world[role], account=world.account, title="x", year=2026
            )
