from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhengwei.procurement.models import CatalogueItem, Method, Step
from zhengwei.procurement.routing import Band, check_method, route
from zhengwei.procurement.services import purchases
from zhengwei.procurement.tests.flow import day, run_to

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 20)


def r(value, level="provincial", **kw):
    return route(value=Decimal(value), region="福建省", level=level, on=ON, **kw)


def test_the_bands_follow_the_fujian_provincial_table():
    assert r("198000").band == Band.BELOW
    assert r("500000").band == Band.BETWEEN
    assert r("2999999.99").default == Method.CONSULTATION
    assert r("3000000").band == Band.PUBLIC
    assert r("3000000").default == Method.OPEN_TENDER


def test_municipal_units_have_their_own_thresholds():
    assert r("2000000", level="municipal").band == Band.PUBLIC
    assert r("300000", level="municipal").band == Band.BETWEEN


def test_a_newer_table_applies_from_its_date_only(world):
    from zhengwei.procurement.services.thresholds import threshold_add

    threshold_add(
        actor=world["procurement_officer"],
        region="福建省",
        level="provincial",
        effective_from=date(2027, 1, 1),
        decentralised_limit="1000000",
        public_tender_threshold="4000000",
        source="福建2024版（定稿）",
    )
    assert r("3500000").band == Band.PUBLIC
    later = route(
        value=Decimal("3500000"), region="福建省", level="provincial", on=date(2027, 2, 1)
    )
    assert later.band == Band.BETWEEN and "福建2024版" in later.basis


def test_no_table_in_force_is_a_clear_refusal():
    with pytest.raises(ValidationError, match="限额标准页面"):
        route(value=Decimal("1"), region="福建省", level="provincial", on=date(2019, 1, 1))


def test_request_for_quotation_is_refused_for_a_service():
    with pytest.raises(ValidationError, match="第三十二条"):
        check_method(r("198000"), Method.INQUIRY, on=ON)


def test_above_the_threshold_another_method_needs_a_recorded_approval():
    route_ = r("3500000")
    with pytest.raises(ValidationError, match="第二十七条"):
        check_method(route_, Method.CONSULTATION, on=ON, intention_published_on=date(2026, 1, 1))
    check_method(
        route_,
        Method.CONSULTATION,
        on=ON,
        intention_published_on=date(2026, 1, 1),
        approval_ref="闽财采〔2026〕1号",
    )


def test_single_source_needs_a_ground_and_five_working_days_of_notice():
    route_ = r("800000")
    kw = {"on": ON, "intention_published_on": date(2026, 1, 1), "sme_reserved": True}
    with pytest.raises(ValidationError, match="法定情形"):
        check_method(route_, Method.SINGLE_SOURCE, **kw)
    with pytest.raises(ValidationError, match="5个工作日"):
        check_method(
            route_,
            Method.SINGLE_SOURCE,
            single_source_ground="只能从唯一供应商处采购",
            notice_from=date(2026, 3, 9),
            notice_to=date(2026, 3, 12),
            **kw,
        )
    check_method(
        route_,
        Method.SINGLE_SOURCE,
        single_source_ground="只能从唯一供应商处采购",
        notice_from=date(2026, 3, 9),
        notice_to=date(2026, 3, 13),
        **kw,
    )


def test_between_the_limits_the_intention_and_the_sme_set_aside_are_checked():
    route_ = r("800000")
    with pytest.raises(ValidationError, match="采购意向") as exc:
        check_method(route_, Method.CONSULTATION, on=ON)
    assert "中小企业" in str(exc.value)
    check_method(
        route_,
        Method.CONSULTATION,
        on=ON,
        intention_published_on=date(2026, 1, 30),
        sme_reserved=True,
    )
    with pytest.raises(ValidationError, match="30日"):
        check_method(
            route_,
            Method.CONSULTATION,
            on=ON,
            intention_published_on=date(2026, 3, 1),
            sme_reserved=True,
        )


def test_a_catalogue_item_goes_to_centralised_procurement():
    item = CatalogueItem.objects.create(
        effective_from=date(2021, 1, 1),
        code="C0201",
        name="云计算服务",
        amount_threshold=Decimal("500000"),
        source="测试",
    )
    assert r("600000", catalogue_item=item).band == Band.CENTRAL
    assert r("100000", catalogue_item=item).band == Band.BELOW
    with pytest.raises(ValidationError, match="集中采购"):
        check_method(r("600000", catalogue_item=item), Method.CONSULTATION, on=ON)


def test_splitting_one_need_into_small_purchases_is_flagged_and_routed_on_the_total(world):
    first = run_to(world, Step.ROUTING, value="190000.00")
    second = purchases.purchase_create(
        actor=first.buyer, account=world.account, title="运营服务（二）", year=2026
    )
    purchases.eligibility_record(
        actor=first.buyer,
        purchase=second,
        category="auxiliary",
        negative_hits=[],
        office_keeps_final_review=True,
        on=day(0),
    )
    purchases.budget_record(
        actor=first.buyer,
        purchase=second,
        budget_line="经费二",
        amount="400000",
        approved_on=day(0),
        on=day(1),
        targets=[{"indicator": "original_ratio", "target": "60"}],
    )
    art = purchases.requirements_record(
        actor=first.buyer,
        purchase=second,
        on=day(2),
        estimated_total="390000.00",
        term_months=12,
        deliverables="同上",
    )
    assert art.data["split"]["crossed"] == ["分散采购限额标准"]
    assert first.purchase.ocid in art.data["split"]["siblings"]
    with pytest.raises(ValidationError, match="不得采用"):
        purchases.routing_decide(
            actor=first.buyer, purchase=second, method=Method.BELOW_LIMIT, on=day(3)
        )
