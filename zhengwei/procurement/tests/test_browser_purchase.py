"""In a real browser: the buyer takes the 福建防汛 purchase (a service under ¥200,000, three written
quotations) through every step — illegal paths refused with the rule named — an evaluator scores,
and a second purchase above the public-tender threshold is routed to open tender.

The screenshots taken here are the ones docs/guide/procurement.md shows.
"""

from __future__ import annotations

import pytest

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.procurement.models import Purchase, Step
from zhengwei.procurement.tests.flow import supplier_with_papers
from zhengwei.testing.browser import screenshot, sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo():
    from zhengwei.demo import constants as c
    from zhengwei.demo import orgs

    orgs.seed(out=lambda message: None)
    account = WeChatAccount.objects.get(original_id=c.ORIGINAL_ID)
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["buyer", "leader", "reviewer", "dutylead"])
    }

    class World:
        def __getitem__(self, key):
            return people["buyer" if key == "procurement_officer" else key]

    world = World()
    world.account = account
    sups = [
        supplier_with_papers(world, n, organisation=account.contractor if n == 1 else None)
        for n in (1, 2, 3)
    ]
    return account, sups


def fill(page, values: dict, *, within: str = "[data-testid=step-form]") -> None:
    for name, value in values.items():
        field = page.locator(f"{within} [name='{name}']").first
        tag = field.evaluate("el => el.tagName")
        kind = field.get_attribute("type")
        if tag == "SELECT":
            field.select_option(value)
        elif kind == "checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(value)


def submit(page, within: str = "[data-testid=step-form]") -> None:
    page.locator(f"{within} button").last.click()
    page.wait_for_load_state()


def test_the_fujian_purchase_goes_through_its_steps_in_the_browser(demo, page):
    account, sups = demo
    sign_in(page, "buyer", DEMO_PASSWORD)
    page.goto("/procurement/")
    fill(
        page,
        {"title": "「福建防汛」政务微信运营服务", "year": "2026"},
        within="[data-testid=new-purchase]",
    )
    submit(page, "[data-testid=new-purchase]")
    purchase = Purchase.objects.get()
    assert page.locator("#step-eligibility[data-state=current]").is_visible()
    assert page.locator("#step-contract[data-state=blocked]").is_visible()

    fill(page, {"on": "2025-11-03"})
    submit(page)
    # A missing budget is refused with the rule named.
    fill(page, {"on": "2025-11-04", "budget_line": "", "amount": ""})
    submit(page)
    assert "先有预算、后购买服务" in page.inner_text("[data-testid=form-errors]")
    fill(
        page,
        {
            "budget_line": "2026年度政务新媒体运营经费",
            "amount": "200000.00",
            "approved_on": "2025-11-03",
            "on": "2025-11-04",
        },
    )
    submit(page)
    fill(
        page,
        {
            "estimated_total": "198000.00",
            "deliverables": "每周不少于3次推送、每次不少于2条；应急响应60分钟内发布",
            "team": "编辑、校对、策划、美编各1人",
            "confidentiality": "签订保密协议",
            "handover": "合同终止时移交账号和数据",
            "on": "2025-11-05",
        },
    )
    submit(page)
    page.locator("[data-testid=route-basis]").wait_for()
    assert "闽财购函〔2021〕2号" in page.inner_text("[data-testid=route-basis]")
    # 询价 is refused for a service, naming 政府采购法 第三十二条.
    fill(page, {"method": "inquiry", "on": "2025-11-06"})
    submit(page)
    assert "第三十二条" in page.inner_text("[data-testid=form-errors]")
    screenshot(page, "procurement-routing-refused")
    fill(page, {"method": "below_limit", "on": "2025-11-06"})
    submit(page)
    purchase.refresh_from_db()
    assert purchase.step == Step.QUALIFICATION

    for s, amount in zip(sups, ("198000.00", "199800.00", "196500.00"), strict=True):
        fill(
            page,
            {"bid-supplier": str(s.pk), "bid-amount": amount, "bid-submitted_on": "2025-11-10"},
            within="[data-testid=bid-form]",
        )
        submit(page, "[data-testid=bid-form]")
    for username in ("leader", "reviewer", "dutylead"):
        user = User.objects.get(username=username)
        fill(page, {"seat-user": str(user.pk)}, within="[data-testid=seat-form]")
        submit(page, "[data-testid=seat-form]")
    for bid in purchase.bids.all():
        page.click(f"[data-testid=sign-{bid.pk}]")
        page.wait_for_load_state()
    sign_out(page)
    sign_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(f"/procurement/{purchase.pk}/")
    for bid in purchase.bids.all():
        page.click(f"[data-testid=sign-{bid.pk}]")
        page.wait_for_load_state()
    assert page.locator("[data-testid=bids] .badge.text-bg-success").count() == 3
    screenshot(page, "procurement-qualification")
    sign_out(page)
    sign_in(page, "buyer", DEMO_PASSWORD)
    page.goto(f"/procurement/{purchase.pk}/")
    fill(page, {"on": "2025-11-11"})
    submit(page)

    # Each evaluator declares, then scores; quality weighs more than price.
    for username, qualities in (
        ("leader", ("76", "68", "62")),
        ("reviewer", ("74", "70", "60")),
        ("dutylead", ("78", "66", "63")),
    ):
        sign_out(page)
        sign_in(page, username, DEMO_PASSWORD)
        page.goto("/procurement/evaluations/")
        assert purchase.title in page.inner_text("[data-testid=evaluations]")
        page.goto(f"/procurement/{purchase.pk}/score/")
        page.locator("[data-testid=declare]").wait_for()
        fill(page, {"no_conflict": True}, within="[data-testid=declare]")
        submit(page, "[data-testid=declare]")
        for bid, q in zip(purchase.bids.order_by("pk"), qualities, strict=True):
            if username == "leader" and bid == purchase.bids.order_by("pk").first():
                fill(page, {"quality": "85", "price": "10"}, within=f"[data-testid=score-{bid.pk}]")
                submit(page, f"[data-testid=score-{bid.pk}]")
                assert "10%–30%" in page.inner_text("[data-testid=score-error]")
            fill(page, {"quality": q, "price": "18"}, within=f"[data-testid=score-{bid.pk}]")
            submit(page, f"[data-testid=score-{bid.pk}]")
        if username == "leader":
            screenshot(page, "procurement-scoring")
    sign_out(page)
    sign_in(page, "buyer", DEMO_PASSWORD)
    page.goto(f"/procurement/{purchase.pk}/")
    fill(
        page,
        {
            "issued_on": "2025-11-06",
            "deadline": "2025-11-11",
            "minutes": "集体研究，排名第一者成交",
            "on": "2025-11-12",
        },
    )
    submit(page)
    first = purchase.bids.order_by("pk").first()
    fill(page, {"bid": str(first.pk), "notice_published_on": "2025-11-13", "on": "2025-11-13"})
    submit(page)
    # A two-year term is refused; one year is signed.
    fill(
        page,
        {
            "number": "FJFX-YY-2026-001",
            "value": "198000.00",
            "signed_on": "2025-12-15",
            "start": "2026-01-01",
            "end": "2027-12-31",
        },
    )
    submit(page)
    assert "不超过1年" in page.inner_text("[data-testid=form-errors]")
    fill(page, {"end": "2026-12-31", "signed_on": "2025-12-15"})
    screenshot(page, "procurement-contract-form")
    submit(page)
    purchase.refresh_from_db()
    assert purchase.step == Step.MONITORING
    assert page.locator("[data-testid=service-levels] tbody tr").count() >= 3

    # A 15 % supplement is refused (第四十九条).
    fill(
        page,
        {
            "supplement-amount": "29700.00",
            "supplement-signed_on": "2026-06-01",
            "supplement-reason": "增加直播",
        },
        within="[data-testid=supplement-form]",
    )
    submit(page, "[data-testid=supplement-form]")
    assert "第四十九条" in page.inner_text("[data-testid=supplement-form]")
    # The later steps: a monthly review, the acceptance with its deduction, the payment.
    page.goto(f"/procurement/{purchase.pk}/")
    fill(
        page,
        {"review-period": "2026-01-01", "review-score": "88", "review-reviewed_on": "2026-02-05"},
        within="[data-testid=review-form]",
    )
    submit(page, "[data-testid=review-form]")
    levels = {lv.indicator: lv for lv in purchase.contract.service_levels.all()}
    values = {
        "acceptance-period_label": "2026年第1季度",
        "acceptance-period_fee": "49500.00",
        "acceptance-accepted_on": "2026-04-08",
    }
    for code in levels:
        values[f"acceptance-m_{code}"] = {"original_ratio": "55"}.get(
            code, str(levels[code].target)
        )
    fill(page, values, within="[data-testid=acceptance-form]")
    page.locator("[data-testid=acceptance-form] select[name='acceptance-members']").select_option(
        [str(User.objects.get(username=u).pk) for u in ("buyer", "reviewer")]
    )
    submit(page, "[data-testid=acceptance-form]")
    acceptance = purchase.contract.acceptances.get()
    assert acceptance.passed and acceptance.deduction > 0
    due = acceptance.period_fee - acceptance.deduction
    fill(
        page,
        {
            "payment-acceptance": str(acceptance.pk),
            "payment-amount": str(due),
            "payment-paid_on": "2026-04-15",
        },
        within="[data-testid=payment-form]",
    )
    submit(page, "[data-testid=payment-form]")
    purchase.refresh_from_db()
    assert purchase.step == Step.RENEWAL
    page.goto(f"/procurement/{purchase.pk}/#step-renewal")
    page.locator("[data-testid=scorecard]").scroll_into_view_if_needed()
    screenshot(page, "procurement-scorecard")
    fill(page, {"decision": "renew", "reason": "绩效良好，继续按单位内控采购", "on": "2026-11-02"})
    submit(page)
    purchase.refresh_from_db()
    assert purchase.state == "closed" and purchase.contract.followed_by.count() == 1
    page.goto("/procurement/")
    screenshot(page, "procurement-list")

    # The contractor sees its contract, not the other bidders.
    sign_out(page)
    sign_in(page, "pm", DEMO_PASSWORD)
    page.goto(f"/procurement/{purchase.pk}/")
    assert "FJFX-YY-2026-001" in page.inner_text("[data-testid=contract]")
    assert sups[1].name not in page.content()


def test_a_purchase_above_the_public_tender_threshold_is_routed_to_open_tender(demo, page):
    from datetime import date

    from zhengwei.procurement.services import purchases

    account, _sups = demo
    buyer = User.objects.get(username="buyer")
    p = purchases.purchase_create(
        actor=buyer, account=account, title="防汛政务新媒体矩阵运维服务", year=2027
    )
    purchases.eligibility_record(
        actor=buyer,
        purchase=p,
        category="auxiliary",
        negative_hits=[],
        office_keeps_final_review=True,
        on=date(2026, 11, 2),
    )
    purchases.budget_record(
        actor=buyer,
        purchase=p,
        budget_line="2027年度防汛信息化运维经费",
        amount="3600000",
        approved_on=date(2026, 11, 2),
        on=date(2026, 11, 2),
        targets=[{"indicator": "original_ratio"}],
    )
    purchases.requirements_record(
        actor=buyer,
        purchase=p,
        on=date(2026, 11, 3),
        estimated_total="3500000",
        term_months=12,
        deliverables="12个账号统一运维",
    )
    sign_in(page, "buyer", DEMO_PASSWORD)
    page.goto(f"/procurement/{p.pk}/")
    assert "达到公开招标数额标准" in page.inner_text("[data-testid=route-basis]")
    fill(
        page, {"method": "consultation", "on": "2026-11-20", "intention_published_on": "2026-10-01"}
    )
    submit(page)
    assert "第二十七条" in page.inner_text("[data-testid=form-errors]")
    fill(
        page, {"method": "open_tender", "on": "2026-11-20", "intention_published_on": "2026-10-01"}
    )
    submit(page)
    p.refresh_from_db()
    assert p.method == "open_tender" and p.step == Step.QUALIFICATION
