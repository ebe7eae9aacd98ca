"""The 福建防汛 purchase driven through the services step by step, for tests that start at a
later step. ``Case`` holds what each step made; ``run_to(world, step)`` stops before ``step``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from zhengwei.orgs.models import OrgKind, Role
from zhengwei.procurement.models import STEP_ORDER, EvidenceKind, Method, Step
from zhengwei.procurement.services import aftercare, contracts, evaluation, purchases, suppliers
from zhengwei.testing.factories import OrganisationFactory, UserFactory, grant

D0 = date(2026, 3, 2)  # a Monday


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def credit_code(n: int) -> str:
    first = f"91350100MA{n:07d}"
    return first + suppliers.credit_code_check_digit(first)


def evaluator(world, name: str):
    user = UserFactory(username=name, organisation=world.office)
    grant(user, world.account, Role.OFFICE_REVIEWER)
    return user


def supplier_with_papers(world, n: int, *, organisation=None, licence_until=date(2030, 12, 31)):
    buyer = world["procurement_officer"]
    s = suppliers.supplier_create(
        actor=buyer,
        name=f"福建第{n}传媒有限公司",
        credit_code=credit_code(n),
        organisation=organisation,
        is_sme=True,
    )
    for kind in (EvidenceKind.BUSINESS_LICENCE, EvidenceKind.CREDIT_CHECK):
        suppliers.evidence_add(
            actor=buyer,
            supplier=s,
            kind=kind,
            upload=ContentFile(f"{kind} of {n}".encode(), name=f"{kind}.pdf"),
            valid_from=date(2020, 1, 1),
            valid_until=licence_until,
        )
    return s


TARGETS = [
    {"indicator": "volume_vs_plan", "target": "100"},
    {"indicator": "original_ratio", "target": "60"},
    {"indicator": "days_since_last_post", "target": "13"},
]
LEVELS = [
    {"indicator": "volume_vs_plan", "target": "100", "points": "30", "deduction_percent": "5"},
    {"indicator": "original_ratio", "target": "60", "points": "30", "deduction_percent": "3"},
    {
        "indicator": "days_since_last_post",
        "target": "13",
        "points": "40",
        "deduction_percent": "10",
    },
]


@dataclass
class Case:
    world: object
    purchase: object = None
    suppliers: list = field(default_factory=list)
    bids: list = field(default_factory=list)
    evaluators: list = field(default_factory=list)
    contract: object = None
    acceptance: object = None

    @property
    def buyer(self):
        return self.world["procurement_officer"]


def run_to(world, stop: str | None = None, *, value="198000.00", method=Method.BELOW_LIMIT) -> Case:
    """Run the below-limit case (three written quotations) up to, not including, ``stop``."""
    case = Case(world)
    buyer = case.buyer
    order = STEP_ORDER + ["end"]
    until = order.index(stop or "end")

    def before(step):
        return order.index(step) < until

    p = purchases.purchase_create(
        actor=buyer, account=world.account, title="「福建防汛」政务微信运营服务", year=2026
    )
    case.purchase = p
    if before(Step.ELIGIBILITY):
        purchases.eligibility_record(
            actor=buyer,
            purchase=p,
            category="auxiliary",
            negative_hits=[],
            office_keeps_final_review=True,
            on=day(0),
        )
    if before(Step.BUDGET):
        purchases.budget_record(
            actor=buyer,
            purchase=p,
            budget_line="2026年政务新媒体运营经费",
            amount="200000.00",
            approved_on=day(0),
            on=day(1),
            targets=TARGETS,
        )
    if before(Step.REQUIREMENTS):
        purchases.requirements_record(
            actor=buyer,
            purchase=p,
            on=day(2),
            estimated_total=value,
            term_months=12,
            deliverables="每周不少于3次推送，每次不少于2条；原创率不低于60%",
            team="不少于4人，含编辑、校对、策划、美编",
            confidentiality="签订保密协议",
            handover="合同终止时移交账号、素材和数据",
            kpi_payment="按月验收，未达标按服务水平表扣减",
        )
    if before(Step.ROUTING):
        purchases.routing_decide(actor=buyer, purchase=p, method=method, on=day(3))
    if before(Step.QUALIFICATION):
        for n in (1, 2, 3):
            org = world.contractor if n == 1 else OrganisationFactory(kind=OrgKind.CONTRACTOR)
            case.suppliers.append(supplier_with_papers(world, n, organisation=org))
        for s, amount in zip(case.suppliers, ("198000.00", "199500.00", "196000.00"), strict=True):
            case.bids.append(
                suppliers.bid_record(
                    actor=buyer, purchase=p, supplier=s, amount=amount, submitted_on=day(6)
                )
            )
        for b in case.bids:
            suppliers.qualification_sign(actor=buyer, bid=b, on=day(7))
            suppliers.qualification_sign(actor=world["office_leader"], bid=b, on=day(7))
        for name in ("评审甲", "评审乙", "评审丙"):
            case.evaluators.append(evaluator(world, name))
            evaluation.evaluator_seat(actor=buyer, purchase=p, user=case.evaluators[-1])
        suppliers.qualification_complete(actor=buyer, purchase=p, on=day(7))
    else:
        return case
    if before(Step.EVALUATION):
        for ev in case.evaluators:
            evaluation.evaluator_declare(
                actor=ev, purchase=p, no_conflict=True, declaration="与各供应商无利害关系"
            )
            for b, q in zip(case.bids, ("75", "70", "60"), strict=True):
                evaluation.score_submit(actor=ev, bid=b, quality=q, price="18")
        evaluation.evaluation_complete(
            actor=buyer,
            purchase=p,
            on=day(10),
            issued_on=day(3),
            deadline=day(9),
            minutes="经集体研究，推荐第一名",
        )
    if before(Step.AWARD):
        evaluation.award_record(
            actor=buyer, purchase=p, bid=case.bids[0], on=day(11), notice_published_on=day(11)
        )
    if before(Step.CONTRACT):
        case.contract = contracts.contract_sign(
            actor=buyer,
            purchase=p,
            number="FJFX-2026-001",
            signed_on=day(20),
            start=date(2026, 4, 1),
            end=date(2027, 3, 31),
            value="198000.00",
            service_levels=LEVELS,
        )
    if before(Step.MONITORING):
        aftercare.review_record(
            actor=buyer,
            contract=case.contract,
            period=date(2026, 4, 1),
            reviewed_on=date(2026, 5, 6),
            score="88",
        )
    if before(Step.ACCEPTANCE):
        case.acceptance = aftercare.acceptance_record(
            actor=buyer,
            contract=case.contract,
            period_label="2026年4月",
            accepted_on=date(2026, 5, 8),
            members=[buyer, world["office_leader"]],
            measured={"volume_vs_plan": "100", "original_ratio": "55", "days_since_last_post": "2"},
            period_fee="16500.00",
        )
    if before(Step.PAYMENT):
        aftercare.payment_record(
            actor=buyer,
            acceptance=case.acceptance,
            amount=case.acceptance.period_fee - case.acceptance.deduction,
            paid_on=date(2026, 5, 15),
        )
    p.refresh_from_db()
    return case


def money(s: str) -> Decimal:
    return Decimal(s)
