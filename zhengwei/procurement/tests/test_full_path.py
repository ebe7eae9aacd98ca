from datetime import date
from decimal import Decimal

from zhengwei.audit.models import AuditEntry
from zhengwei.procurement.models import Artefact, PurchaseState, Step
from zhengwei.procurement.services import aftercare
from zhengwei.procurement.steps import ARTEFACT_NAMES
from zhengwei.procurement.tests.flow import run_to


def test_the_fujian_case_goes_through_every_step_each_leaving_its_named_artefact(world):
    case = run_to(world)
    p = case.purchase
    assert p.step == Step.RENEWAL
    names = list(Artefact.objects.filter(purchase=p).order_by("pk").values_list("name", flat=True))
    assert names == [ARTEFACT_NAMES[s] for s in list(Step)[:-1]]
    successor = aftercare.renewal_decide(
        actor=case.buyer,
        purchase=p,
        decision="renew",
        on=date(2027, 1, 10),
        reason="绩效良好，继续限额以下采购",
    )
    p.refresh_from_db()
    assert p.state == PurchaseState.CLOSED
    assert successor.follows == case.contract and successor.year == 2027
    assert AuditEntry.objects.filter(action__startswith="procurement.step.").count() == 12


def test_the_routing_artefact_names_the_threshold_rule_its_source_and_date(world):
    case = run_to(world, Step.QUALIFICATION)
    data = Artefact.objects.get(purchase=case.purchase, step=Step.ROUTING).data
    assert data["band"] == "below"
    assert data["threshold_rule"]["source"].startswith("闽财购函〔2021〕2号")
    assert data["threshold_rule"]["effective_from"] == "2021-01-01"
    assert "500,000.00" in data["basis"]


def test_acceptance_deducts_the_missed_service_level_share_and_payment_follows(world):
    case = run_to(world)
    acc = case.acceptance
    assert acc.passed  # original ratio missed: not a veto indicator
    assert acc.deduction == Decimal("495.00")  # 3 % of 16,500
    assert case.contract.payments.get().amount == Decimal("16005.00")
