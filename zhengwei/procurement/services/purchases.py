"""A purchase from its creation through eligibility, budget, requirements and method routing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied, may
from zhengwei.lib import indicators
from zhengwei.lib.db import lock
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.procurement import policy as P
from zhengwei.procurement import rules
from zhengwei.procurement.models import (
    CatalogueItem,
    Contract,
    Level,
    Method,
    Purchase,
    PurchaseState,
    Step,
)
from zhengwei.procurement.money import parse_money
from zhengwei.procurement.routing import Band, Route, check_method, route, threshold_for
from zhengwei.procurement.services.common import (
    artefact,
    audit,
    complete_step,
    not_before,
    require,
    require_step,
    required_text,
)

# 财政部令第102号 第十条 (items as recalled in govrules.md §3.1).
NEGATIVE_LIST: dict[str, str] = {
    "not_government_duty": "不属于政府职责范围的服务事项",
    "direct_duty": "应当由政府直接履职的事项",
    "goods_or_works": "政府采购法律、行政法规规定的货物和工程，以及将工程和服务打包的项目",
    "financing": "融资行为",
    "staffing": "购买主体的人员招聘，以劳务派遣方式用工，以及设置公益性岗位等事项",
    "other_law": "法律、行政法规以及国务院规定的其他不得作为政府购买服务内容的事项",
}
CATEGORIES: dict[str, str] = {
    "auxiliary": "政府履职所需辅助性服务",
    "public": "公共服务",
}


def ocid_check(ocid: str) -> str:
    prefix = settings.PROCUREMENT_OCID_PREFIX
    if not ocid.startswith(prefix + "-") or len(ocid) <= len(prefix) + 1:
        raise ValidationError(
            _("The ocid %(ocid)s does not start with the configured prefix %(prefix)s-.")
            % {"ocid": ocid, "prefix": prefix}
            + f"（{rules.OCID}）"
        )
    return ocid


def _next_ocid(account: WeChatAccount, year: int) -> str:
    prefix = settings.PROCUREMENT_OCID_PREFIX
    stem = f"{prefix}-{account.pk}-{year}-"
    n = Purchase.objects.filter(ocid__startswith=stem).count() + 1
    while Purchase.objects.filter(ocid=f"{stem}{n:03d}").exists():
        n += 1
    return f"{stem}{n:03d}"


def purchase_create(
    *,
    actor: User,
    account: WeChatAccount,
    title: str,
    year: int,
    level: str = Level.PROVINCIAL,
    region: str = "福建省",
    follows: Contract | None = None,
    ocid: str | None = None,
) -> Purchase:
    """Open a purchase (one ocid) at its first step. An ``ocid`` given from outside must carry the
    configured prefix."""
    if not may(actor, P.PROCUREMENT_MANAGE, account):
        raise denied()
    title = required_text(title, what=_("The title"))
    if level not in Level.values:
        raise ValidationError(_("Unknown level."))
    if ocid is not None:
        ocid_check(ocid)
    with transaction.atomic():
        try:
            with transaction.atomic():
                purchase = Purchase.objects.create(
                    account=account,
                    ocid=ocid or _next_ocid(account, year),
                    title=title,
                    year=year,
                    level=level,
                    region=region,
                    follows=follows,
                    created_by=actor,
                )
        except IntegrityError:
            raise ValidationError(_("A purchase with this ocid exists already.")) from None
        audit(actor, "procurement.create", purchase, after={"ocid": purchase.ocid, "title": title})
    return purchase


def eligibility_record(
    *,
    actor: User,
    purchase: Purchase,
    category: str,
    negative_hits: list[str] | set[str],
    office_keeps_final_review: bool,
    on: date,
    note: str = "",
):
    """购买服务事项确认单: the service category, the negative list checked item by item, and the
    office keeping the final review and the decision to publish."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    if category not in CATEGORIES:
        raise ValidationError(_("Choose the service category.") + f"（{rules.CATEGORY}）")
    hits = [h for h in negative_hits if h in NEGATIVE_LIST]
    if hits:
        raise ValidationError(
            _("The service is on the negative list: %(items)s.")
            % {"items": "、".join(NEGATIVE_LIST[h] for h in hits)}
            + f"（{rules.NEGATIVE_LIST}）"
        )
    if not office_keeps_final_review:
        raise ValidationError(
            _("The final review and the decision to publish must stay with the office.")
            + f"（{rules.FINAL_REVIEW}）"
        )
    with transaction.atomic():
        lock(purchase)
        return complete_step(
            purchase,
            Step.ELIGIBILITY,
            actor=actor,
            on=on,
            data={
                "category": category,
                "category_label": CATEGORIES[category],
                "negative_list_checked": list(NEGATIVE_LIST),
                "office_keeps_final_review": True,
                "note": note.strip(),
            },
        )


def budget_record(
    *,
    actor: User,
    purchase: Purchase,
    budget_line: str,
    amount,
    approved_on: date | None,
    on: date,
    funding_source: str = "",
    targets: list[dict] | None = None,
):
    """预算批复及绩效目标表: no budget, no purchase; the performance targets are indicators of the
    one catalogue."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    budget_line = required_text(budget_line, what=_("The budget line"), rule=rules.BUDGET)
    amount = parse_money(amount, field=_("The budget amount"))
    if amount <= 0:
        raise ValidationError(_("The budget amount must be above zero.") + f"（{rules.BUDGET}）")
    if approved_on is None:
        raise ValidationError(_("The budget approval date is required.") + f"（{rules.BUDGET}）")
    if approved_on > on:
        raise ValidationError(_("The budget cannot be approved after the day it is recorded."))
    rows = []
    for t in targets or []:
        code = t.get("indicator", "")
        try:
            spec = indicators.get(code)
        except KeyError:
            raise ValidationError(_("Unknown indicator %(code)s.") % {"code": code}) from None
        rows.append(
            {
                "indicator": code,
                "label": spec.label,
                "target": str(Decimal(str(t.get("target", spec.default_target or 0)))),
                "unit": spec.unit,
            }
        )
    if not rows:
        raise ValidationError(
            _("Record at least one performance target (绩效目标).") + f"（{rules.BUDGET}）"
        )
    with transaction.atomic():
        lock(purchase)
        return complete_step(
            purchase,
            Step.BUDGET,
            actor=actor,
            on=on,
            data={
                "budget_line": budget_line,
                "amount": str(amount),
                "approved_on": approved_on.isoformat(),
                "funding_source": funding_source.strip(),
                "targets": rows,
            },
        )


def splitting_check(purchase: Purchase, value: Decimal, on: date) -> dict | None:
    """Other purchases of the same account in the same year that, added together, cross a
    threshold this one alone stays under (化整为零): the flag, or None."""
    siblings = list(
        Purchase.objects.filter(account=purchase.account, year=purchase.year)
        .exclude(pk=purchase.pk)
        .exclude(state=PurchaseState.CANCELLED)
        .exclude(estimated_total=None)
    )
    if not siblings:
        return None
    combined = value + sum((p.estimated_total for p in siblings), Decimal("0"))
    rule = threshold_for(region=purchase.region, level=purchase.level, on=on)
    crossed = []
    for limit, name in (
        (rule.decentralised_limit, "分散采购限额标准"),
        (rule.public_tender_threshold, "公开招标数额标准"),
    ):
        if value < limit <= combined:
            crossed.append(name)
    if not crossed:
        return None
    return {
        "siblings": [p.ocid for p in siblings],
        "combined": str(combined),
        "crossed": crossed,
        "rule": rules.SPLIT,
    }


def requirements_record(
    *,
    actor: User,
    purchase: Purchase,
    on: date,
    estimated_total,
    term_months: int,
    deliverables: str,
    pushes_per_week: int = 3,
    original_ratio: Decimal | str = "60",
    response_minutes: int = 60,
    team: str = "",
    licences: list[str] | None = None,
    confidentiality: str = "",
    handover: str = "",
    kpi_payment: str = "",
    price_weight: int = 20,
    catalogue_item: CatalogueItem | None = None,
    long_term_conditions: str = "",
):
    """采购需求 with the estimated total over the whole term (which decides the method)."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    require_step(purchase, Step.REQUIREMENTS)
    value = parse_money(estimated_total, field=_("The estimated total"))
    if value <= 0:
        raise ValidationError(_("The estimated total must be above zero."))
    budget = artefact(purchase, Step.BUDGET)
    if budget is None:
        raise ValidationError(_("There is no budget for this purchase.") + f"（{rules.BUDGET}）")
    if value > Decimal(budget.data["amount"]):
        raise ValidationError(
            _("The estimated total is above the approved budget (¥%(budget)s).")
            % {"budget": budget.data["amount"]}
            + f"（{rules.BUDGET}）"
        )
    if term_months < 1 or term_months > 36:
        raise ValidationError(
            _("A term of %(n)s months is not allowed.") % {"n": term_months} + f"（{rules.TERM}）"
        )
    if term_months > 12 and not long_term_conditions.strip():
        raise ValidationError(
            _(
                "A term over one year needs the conditions recorded (fixed content, continuity, stable funding, stable prices)."
            )
            + f"（{rules.TERM}）"
        )
    if not 10 <= int(price_weight) <= 30:
        raise ValidationError(
            _("The price weight must be 10–30 points.") + f"（{rules.PRICE_WEIGHT}）"
        )
    deliverables = required_text(deliverables, what=_("The deliverables"))
    with transaction.atomic():
        lock(purchase)
        split = splitting_check(purchase, value, on)
        purchase.estimated_total = value
        purchase.save(update_fields=["estimated_total", "updated_at"])
        return complete_step(
            purchase,
            Step.REQUIREMENTS,
            actor=actor,
            on=on,
            data={
                "estimated_total": str(value),
                "term_months": term_months,
                "long_term_conditions": long_term_conditions.strip(),
                "deliverables": deliverables,
                "pushes_per_week": pushes_per_week,
                "original_ratio": str(original_ratio),
                "response_minutes": response_minutes,
                "team": team.strip(),
                "licences": list(licences or []),
                "confidentiality": confidentiality.strip(),
                "handover": handover.strip(),
                "kpi_payment": kpi_payment.strip(),
                "price_weight": int(price_weight),
                "catalogue_item": catalogue_item.pk if catalogue_item else None,
                "split": split,
            },
            note=_("possible splitting: %(ocids)s") % {"ocids": ", ".join(split["siblings"])}
            if split
            else "",
        )


def purchase_route(purchase: Purchase, *, on: date) -> Route:
    """The route for the purchase as it stands: on the combined value when splitting was flagged."""
    req = artefact(purchase, Step.REQUIREMENTS)
    if req is None:
        raise ValidationError(_("Record the procurement requirements first."))
    value = Decimal(req.data["estimated_total"])
    if req.data.get("split"):
        value = Decimal(req.data["split"]["combined"])
    item = None
    if req.data.get("catalogue_item"):
        item = CatalogueItem.objects.filter(pk=req.data["catalogue_item"]).first()
    return route(
        value=value, region=purchase.region, level=purchase.level, on=on, catalogue_item=item
    )


def routing_decide(
    *,
    actor: User,
    purchase: Purchase,
    method: str,
    on: date,
    approval_ref: str = "",
    single_source_ground: str = "",
    notice_from: date | None = None,
    notice_to: date | None = None,
    intention_published_on: date | None = None,
    sme_reserved: bool = False,
    sme_justification: str = "",
):
    """采购方式确定记录: the method, checked against the route with the rule named."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    require_step(purchase, Step.ROUTING)
    if method not in Method.values:
        raise ValidationError(_("Unknown method."))
    r = purchase_route(purchase, on=on)
    check_method(
        r,
        method,
        on=on,
        approval_ref=approval_ref,
        single_source_ground=single_source_ground,
        notice_from=notice_from,
        notice_to=notice_to,
        intention_published_on=intention_published_on,
        sme_reserved=sme_reserved,
        sme_justification=sme_justification,
    )
    if intention_published_on:
        not_before(on, intention_published_on, what=_("The routing decision"))
    with transaction.atomic():
        lock(purchase)
        purchase.method = method
        purchase.save(update_fields=["method", "updated_at"])
        return complete_step(
            purchase,
            Step.ROUTING,
            actor=actor,
            on=on,
            data={
                "method": method,
                "method_label": str(Method(method).label),
                "band": r.band,
                "value": str(r.value),
                "default": r.default,
                "basis": r.basis,
                "threshold_rule": {
                    "id": r.rule.pk,
                    "source": r.rule.source,
                    "effective_from": r.rule.effective_from.isoformat(),
                    "decentralised_limit": str(r.rule.decentralised_limit),
                    "public_tender_threshold": str(r.rule.public_tender_threshold),
                }
                if r.rule
                else None,
                "approval_ref": approval_ref.strip(),
                "single_source_ground": single_source_ground.strip(),
                "notice_from": notice_from.isoformat() if notice_from else None,
                "notice_to": notice_to.isoformat() if notice_to else None,
                "intention_published_on": intention_published_on.isoformat()
                if intention_published_on
                else None,
                "sme_reserved": bool(sme_reserved),
                "sme_justification": sme_justification.strip(),
                "below_limit": r.band == Band.BELOW,
            },
        )


def purchase_cancel(*, actor: User, purchase: Purchase, reason: str) -> Purchase:
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    reason = required_text(reason, what=_("The reason"))
    with transaction.atomic():
        lock(purchase)
        if purchase.state != PurchaseState.OPEN:
            raise ValidationError(_("Only a purchase in progress can be cancelled."))
        purchase.state = PurchaseState.CANCELLED
        purchase.save(update_fields=["state", "updated_at"])
        audit(actor, "procurement.cancel", purchase, note=reason)
    return purchase
