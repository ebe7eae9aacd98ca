from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

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


def test_a_purchase_above_the_public_tender_threshold_goes_through_open_tender(world):
    from django.core.exceptions import ValidationError

    from zhengwei.procurement.models import EvidenceKind, Method
    from zhengwei.procurement.services import contracts, evaluation, purchases, suppliers
    from zhengwei.procurement.tests.flow import LEVELS, evaluator, supplier_with_papers

    buyer = world["procurement_officer"]
    p = purchases.purchase_create(
        actor=buyer, account=world.account, title="防汛新媒体矩阵运维", year=2026
    )
    purchases.eligibility_record(
        actor=buyer,
        purchase=p,
        category="auxiliary",
        negative_hits=[],
        office_keeps_final_review=True,
        on=date(2026, 2, 2),
    )
    purchases.budget_record(
        actor=buyer,
        purchase=p,
        budget_line="防汛信息化运维经费",
        amount="3600000",
        approved_on=date(2026, 2, 2),
        on=date(2026, 2, 2),
        targets=[{"indicator": "original_ratio", "target": "60"}],
    )
    purchases.requirements_record(
        actor=buyer,
        purchase=p,
        on=date(2026, 2, 3),
        estimated_total="3500000",
        term_months=12,
        deliverables="12个账号统一运维",
        licences=[EvidenceKind.NEWS_LICENCE],
    )
    with pytest.raises(ValidationError, match="第二十七条"):
        purchases.routing_decide(
            actor=buyer,
            purchase=p,
            method=Method.CONSULTATION,
            on=date(2026, 3, 9),
            intention_published_on=date(2026, 1, 5),
        )
    purchases.routing_decide(
        actor=buyer,
        purchase=p,
        method=Method.OPEN_TENDER,
        on=date(2026, 3, 9),
        intention_published_on=date(2026, 1, 5),
    )
    bids = []
    for n in (31, 32, 33):
        s = supplier_with_papers(world, n)
        suppliers.evidence_add(
            actor=buyer,
            supplier=s,
            kind=EvidenceKind.NEWS_LICENCE,
            upload=ContentFile(b"licence", name="l.pdf"),
            valid_until=date(2030, 1, 1),
        )
        bids.append(
            suppliers.bid_record(
                actor=buyer,
                purchase=p,
                supplier=s,
                amount=f"34{n}000.00",
                submitted_on=date(2026, 3, 30),
            )
        )
    for b in bids:
        suppliers.qualification_sign(actor=buyer, bid=b, on=date(2026, 3, 31))
        suppliers.qualification_sign(actor=world["office_leader"], bid=b, on=date(2026, 3, 31))
    panel = [evaluator(world, f"专家{i}") for i in range(3)]
    for u in panel:
        evaluation.evaluator_seat(actor=buyer, purchase=p, user=u)
    suppliers.qualification_complete(actor=buyer, purchase=p, on=date(2026, 3, 31))
    for u in panel:
        evaluation.evaluator_declare(actor=u, purchase=p, no_conflict=True)
        for b, q in zip(bids, ("80", "75", "70"), strict=True):
            evaluation.score_submit(actor=u, bid=b, quality=q, price="15")
    with pytest.raises(ValidationError, match="不少于20日"):
        evaluation.evaluation_complete(
            actor=buyer,
            purchase=p,
            on=date(2026, 3, 31),
            issued_on=date(2026, 3, 15),
            deadline=date(2026, 3, 30),
            minutes="评标报告",
        )
    evaluation.evaluation_complete(
        actor=buyer,
        purchase=p,
        on=date(2026, 3, 31),
        issued_on=date(2026, 3, 9),
        deadline=date(2026, 3, 30),
        minutes="评标报告",
    )
    evaluation.award_record(
        actor=buyer,
        purchase=p,
        bid=bids[0],
        on=date(2026, 4, 1),
        notice_published_on=date(2026, 4, 2),
    )
    contract = contracts.contract_sign(
        actor=buyer,
        purchase=p,
        number="FJFX-GK-2026-01",
        signed_on=date(2026, 4, 20),
        start=date(2026, 5, 1),
        end=date(2027, 4, 30),
        value="3431000.00",
        service_levels=LEVELS,
    )
    p.refresh_from_db()
    assert p.method == Method.OPEN_TENDER and p.step == Step.MONITORING
    assert contract.value == Decimal("3431000.00")
    routing = p.artefacts.get(step=Step.ROUTING).data
    assert routing["band"] == "public" and routing["intention_published_on"] == "2026-01-05"
