"""Demo procurement: last year's 福建防汛 operation purchase run through all twelve steps and
renewed (its monthly reviews, quarterly acceptances and payments), this year's purchase that
follows it (three written quotations, award, contract; monthly reviews and acceptances so far,
the contract ending soon and next year's budget not yet recorded), and an above-threshold
purchase (公开招标) in its qualification review. Everything goes through the procurement services,
so the artefacts, audit trail, reminders and OCDS releases are the real ones."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from zhengwei.demo import constants as c
from zhengwei.orgs.models import OrgKind, User, WeChatAccount
from zhengwei.procurement.models import EvidenceKind, Level, Method, Purchase, Supplier
from zhengwei.procurement.services import (
    aftercare,
    contracts,
    evaluation,
    purchases,
    suppliers,
)

TITLE = "「福建防汛」政务微信运营服务"
BIG_TITLE = "省防汛抗旱指挥部政务新媒体矩阵运维服务"

SUPPLIERS = [
    # name, first 17 characters of the credit code, is the demo contractor
    (None, "91350100MA2Y7QKX0", True),
    ("福州海峡融媒科技有限公司", "91350102MA31ABCD1", False),
    ("厦门鹭岛新媒体运营有限公司", "91350203MA2XYW012", False),
]
TARGETS = [
    "days_since_last_post",
    "volume_vs_plan",
    "original_ratio",
    "interaction_channel_ok",
    "msg_first_response_time",
    "msg_resolved_in_sla",
]
LEVELS = [
    ("days_since_last_post", "13", "15", "5", "14天未更新为单项否决，当期扣5%"),
    ("volume_vs_plan", "100", "15", "2", "每周不少于3次推送"),
    ("original_ratio", "60", "15", "1", ""),
    ("interaction_channel_ok", "1", "10", "10", "互动功能失效为单项否决"),
    ("msg_first_response_time", "8", "15", "2", ""),
    ("msg_resolved_in_sla", "95", "15", "2", ""),
    ("serious_error_events", "0", "10", "10", "严重表述错误为单项否决"),
    ("secret_or_pii_leaks", "0", "5", "10", "泄密或个人信息泄露为单项否决"),
]
MEASURED_GOOD = {
    "days_since_last_post": "2",
    "volume_vs_plan": "104",
    "original_ratio": "63",
    "interaction_channel_ok": "1",
    "msg_first_response_time": "5.5",
    "msg_resolved_in_sla": "96.5",
    "serious_error_events": "0",
    "secret_or_pii_leaks": "0",
}


def _supplier(buyer, account, name, first17, is_contractor) -> Supplier:
    code = first17 + suppliers.credit_code_check_digit(first17)
    found = Supplier.objects.filter(credit_code=code).first()
    if found:
        return found
    org = account.contractor if is_contractor else None
    s = suppliers.supplier_create(
        actor=buyer,
        name=name or account.contractor.name,
        credit_code=code,
        organisation=org if org is not None and org.kind == OrgKind.CONTRACTOR else None,
        is_sme=True,
        contact="办公室",
    )
    kinds = [EvidenceKind.BUSINESS_LICENCE, EvidenceKind.CREDIT_CHECK, EvidenceKind.CONFIDENTIALITY]
    if is_contractor:
        kinds.append(EvidenceKind.NEWS_LICENCE)
    for kind in kinds:
        suppliers.evidence_add(
            actor=buyer,
            supplier=s,
            kind=kind,
            upload=ContentFile(
                f"%PDF-1.4\n% {s.name} {EvidenceKind(kind).label}（演示文件）\n".encode(),
                name=f"{kind}.pdf",
            ),
            number=f"DEMO-{kind[:4].upper()}-{s.pk:03d}",
            valid_from=date(2020, 1, 1),
            valid_until=date(2030, 12, 31),
        )
    return s


def _run_year(ppl, account, sups, purchase, year: int, *, upto: date) -> None:
    """Drive ``purchase`` (for ``year``) from eligibility to its contract, then monitor, accept
    and pay the contract's months before ``upto``."""
    buyer = ppl["buyer"]
    d0 = date(year - 1, 11, 3)
    purchases.eligibility_record(
        actor=buyer,
        purchase=purchase,
        category="auxiliary",
        negative_hits=[],
        office_keeps_final_review=True,
        on=d0,
        note="政务微信内容采编、排版、推送和留言初筛属政府履职所需辅助性服务；终审与发布决定由办公室负责。",
    )
    purchases.budget_record(
        actor=buyer,
        purchase=purchase,
        budget_line=f"{year}年度政务新媒体运营经费",
        amount="200000.00",
        approved_on=d0,
        on=d0 + timedelta(days=1),
        funding_source="省级财政一般公共预算",
        targets=[{"indicator": code} for code in TARGETS],
    )
    purchases.requirements_record(
        actor=buyer,
        purchase=purchase,
        on=d0 + timedelta(days=2),
        estimated_total="198000.00",
        term_months=12,
        deliverables="「福建防汛」订阅号日常运营：每周不少于3次群发、每次不少于2条，汛期和台风期间加密；"
        "雨情水情风情台风信息、防汛动态和服务栏目；应急响应启动后60分钟内发布；报题审稿流程执行三审。",
        pushes_per_week=3,
        original_ratio="60",
        response_minutes=60,
        team="不少于4人：编辑、校对、策划、美编，汛期24小时值守",
        licences=[EvidenceKind.CONFIDENTIALITY],
        confidentiality="签订保密协议，不得留存公民个人信息",
        handover="合同终止时移交账号管理权限、素材和全部数据",
        kpi_payment="按季度履约验收，按服务水平表扣减后支付",
        price_weight=20,
    )
    purchases.routing_decide(
        actor=buyer, purchase=purchase, method=Method.BELOW_LIMIT, on=d0 + timedelta(days=3)
    )
    bids = []
    for s, amount in zip(sups, ("198000.00", "199800.00", "196500.00"), strict=True):
        bids.append(
            suppliers.bid_record(
                actor=buyer,
                purchase=purchase,
                supplier=s,
                amount=amount,
                submitted_on=d0 + timedelta(days=7),
            )
        )
    for b in bids:
        suppliers.qualification_sign(actor=buyer, bid=b, on=d0 + timedelta(days=8))
        suppliers.qualification_sign(actor=ppl["reviewer"], bid=b, on=d0 + timedelta(days=8))
    panel = [ppl["leader"], ppl["reviewer"], ppl["dutylead"]]
    for u in panel:
        evaluation.evaluator_seat(actor=buyer, purchase=purchase, user=u)
    suppliers.qualification_complete(actor=buyer, purchase=purchase, on=d0 + timedelta(days=8))
    for u, qualities in zip(
        panel, (("76", "68", "62"), ("74", "70", "60"), ("78", "66", "63")), strict=True
    ):
        evaluation.evaluator_declare(
            actor=u, purchase=purchase, no_conflict=True, declaration="与各供应商无利害关系"
        )
        for b, q, p in zip(bids, qualities, ("19", "18", "20"), strict=True):
            evaluation.score_submit(actor=u, bid=b, quality=q, price=p)
    evaluation.evaluation_complete(
        actor=buyer,
        purchase=purchase,
        on=d0 + timedelta(days=10),
        issued_on=d0 + timedelta(days=3),
        deadline=d0 + timedelta(days=9),
        minutes="办公室集体研究：三家书面报价均通过资格审查，按综合评分法排名第一者成交。",
    )
    evaluation.award_record(
        actor=buyer,
        purchase=purchase,
        bid=bids[0],
        on=d0 + timedelta(days=11),
        notice_published_on=d0 + timedelta(days=12),
    )
    signed = date(year - 1, 12, 15)
    contract = contracts.contract_sign(
        actor=buyer,
        purchase=purchase,
        number=f"FJFX-YY-{year}-001",
        signed_on=signed,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        value="198000.00",
        service_levels=[
            {"indicator": i, "target": t, "points": p, "deduction_percent": d, "deduction_rule": r}
            for i, t, p, d, r in LEVELS
        ],
    )
    contracts.contract_publish(actor=buyer, contract=contract, on=signed + timedelta(days=1))
    contracts.contract_file(actor=buyer, contract=contract, on=signed + timedelta(days=4))
    scores = ["88", "91", "86", "84", "90", "87", "83", "92", "89", "90", "88", "91"]
    month = date(year, 1, 1)
    while month < upto.replace(day=1) and month.year == year:
        next_month = (month + timedelta(days=32)).replace(day=1)
        aftercare.review_record(
            actor=buyer,
            contract=contract,
            period=month,
            reviewed_on=next_month + timedelta(days=4),
            score=scores[month.month - 1],
            findings="按月核对推送次数、原创率和留言办理；无单项否决事项。",
        )
        if month.month % 3 == 0:
            measured = dict(MEASURED_GOOD)
            if month.month == 6:
                measured["original_ratio"] = "57"  # 主汛期转载多：原创率未达标，扣1%
            acc = aftercare.acceptance_record(
                actor=buyer,
                contract=contract,
                period_label=f"{year}年第{month.month // 3}季度",
                accepted_on=next_month + timedelta(days=7),
                members=[buyer, ppl["reviewer"]],
                measured=measured,
                period_fee="49500.00",
                conclusion="验收合格。",
            )
            aftercare.payment_record(
                actor=buyer,
                acceptance=acc,
                amount=acc.period_fee - acc.deduction,
                paid_on=next_month + timedelta(days=14),
                note="国库集中支付",
            )
        month = next_month
    return contract


def _big_purchase(ppl, account, sups, today: date) -> None:
    buyer = ppl["buyer"]
    p = purchases.purchase_create(
        actor=buyer, account=account, title=BIG_TITLE, year=today.year + 1, level=Level.PROVINCIAL
    )
    d0 = today - timedelta(days=20)
    purchases.eligibility_record(
        actor=buyer,
        purchase=p,
        category="auxiliary",
        negative_hits=[],
        office_keeps_final_review=True,
        on=d0,
    )
    purchases.budget_record(
        actor=buyer,
        purchase=p,
        budget_line=f"{today.year + 1}年度防汛信息化运维经费",
        amount="3300000.00",
        approved_on=d0,
        on=d0,
        targets=[{"indicator": code} for code in TARGETS],
    )
    purchases.requirements_record(
        actor=buyer,
        purchase=p,
        on=d0 + timedelta(days=1),
        estimated_total="3200000.00",
        term_months=12,
        deliverables="省、市、县三级防汛政务新媒体矩阵（12个账号）统一运维、内容安全巡查和应急发布保障。",
        licences=[EvidenceKind.NEWS_LICENCE, EvidenceKind.CONFIDENTIALITY],
        price_weight=15,
    )
    purchases.routing_decide(
        actor=buyer,
        purchase=p,
        method=Method.OPEN_TENDER,
        on=d0 + timedelta(days=2),
        intention_published_on=d0 - timedelta(days=40),
    )
    for s, amount in zip(sups, ("3150000.00", "3080000.00"), strict=False):
        bid = suppliers.bid_record(
            actor=buyer, purchase=p, supplier=s, amount=amount, submitted_on=d0 + timedelta(days=5)
        )
        suppliers.qualification_sign(actor=buyer, bid=bid, on=d0 + timedelta(days=6))


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=c.ORIGINAL_ID)
    if Purchase.objects.filter(account=account, title=TITLE).exists():
        out("demo: procurement already present")
        return
    ppl = {
        u.username: u
        for u in User.objects.filter(username__in=["buyer", "leader", "reviewer", "dutylead"])
    }
    buyer = ppl["buyer"]
    today = timezone.localdate()
    sups = [_supplier(buyer, account, name, code, mine) for name, code, mine in SUPPLIERS]
    last = purchases.purchase_create(actor=buyer, account=account, title=TITLE, year=today.year - 1)
    _run_year(ppl, account, sups, last, today.year - 1, upto=date(today.year, 1, 1))
    this = aftercare.renewal_decide(
        actor=buyer,
        purchase=last,
        decision="renew",
        on=date(today.year - 1, 11, 2),
        reason="上一年度月度平均得分良好，限额以下项目按单位内控继续以三家书面报价方式采购。",
    )
    _run_year(ppl, account, sups, this, today.year, upto=today)
    _big_purchase(ppl, account, sups, today)
    out(
        f"demo: procurement — {last.ocid} (renewed), {this.ocid} (this year), one open tender in review"
    )
