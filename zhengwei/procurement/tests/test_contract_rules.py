from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhengwei.procurement.models import Contract, Step
from zhengwei.procurement.services import contracts
from zhengwei.procurement.tests.flow import LEVELS, day, run_to


def _sign(case, **kw):
    args = {
        "actor": case.buyer,
        "purchase": case.purchase,
        "number": "HT-1",
        "signed_on": day(20),
        "start": date(2026, 4, 1),
        "end": date(2027, 3, 31),
        "value": "198000.00",
        "service_levels": LEVELS,
    }
    return contracts.contract_sign(**{**args, **kw})


def test_a_two_year_term_is_refused_with_the_rule(world):
    case = run_to(world, Step.CONTRACT)
    with pytest.raises(ValidationError, match="不超过1年"):
        _sign(case, end=date(2028, 3, 31))
    assert not Contract.objects.exists()


def test_a_term_of_one_year_exactly_is_allowed_and_one_day_more_is_not(world):
    contracts.term_check(date(2026, 4, 1), date(2027, 3, 31), long_term_conditions="")
    with pytest.raises(ValidationError):
        contracts.term_check(date(2026, 4, 1), date(2027, 4, 1), long_term_conditions="")
    contracts.term_check(
        date(2026, 4, 1), date(2028, 3, 31), long_term_conditions="内容固定、经费稳定"
    )


def test_the_value_cannot_exceed_the_award(world):
    case = run_to(world, Step.CONTRACT)
    with pytest.raises(ValidationError):
        _sign(case, value="198000.01")


def test_a_contract_without_service_levels_is_refused(world):
    case = run_to(world, Step.CONTRACT)
    with pytest.raises(ValidationError, match="KPI"):
        _sign(case, service_levels=[])


def test_signing_sets_the_publication_and_filing_deadlines_in_working_days(world):
    case = run_to(world, Step.CONTRACT)
    contract = _sign(case)
    due = {r.kind: r.due_on for r in case.purchase.reminders.all()}
    assert due["publish_contract"] == date(2026, 3, 24)  # signed Sunday 22 March: Mon, Tue
    assert due["file_contract"] == date(2026, 3, 31)
    assert case.purchase.reminders.get(kind="sign_contract").done_on == day(20)
    contracts.contract_publish(actor=case.buyer, contract=contract, on=date(2026, 3, 24))
    assert case.purchase.reminders.get(kind="publish_contract").done_on == date(2026, 3, 24)


def test_a_fifteen_percent_supplement_is_refused_and_ten_percent_is_allowed(world):
    case = run_to(world, Step.MONITORING)
    with pytest.raises(ValidationError, match="10%"):
        contracts.supplement_add(
            actor=case.buyer,
            contract=case.contract,
            amount="29700.00",
            signed_on=date(2026, 6, 1),
            reason="增加直播",
        )
    contracts.supplement_add(
        actor=case.buyer,
        contract=case.contract,
        amount="19800.00",
        signed_on=date(2026, 6, 1),
        reason="增加直播",
    )
    assert case.contract.supplements_total == Decimal("19800.00")
    with pytest.raises(ValidationError, match="第四十九条"):
        contracts.supplement_add(
            actor=case.buyer,
            contract=case.contract,
            amount="0.01",
            signed_on=date(2026, 6, 2),
            reason="再增加",
        )
