"""What follows the contract: monthly monitoring reviews, acceptance (履约验收书) with payment
deductions from the service-level table, payment after acceptance, the scorecard of the year, and
the renewal or re-procurement decision."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwei.access.policy import may
from zhengwei.audit.services import audit_record
from zhengwei.lib import indicators
from zhengwei.lib.db import lock
from zhengwei.orgs.models import User
from zhengwei.procurement import policy as P
from zhengwei.procurement import rules, steps
from zhengwei.procurement.models import (
    Acceptance,
    Contract,
    Payment,
    Purchase,
    PurchaseState,
    Review,
    Step,
)
from zhengwei.procurement.money import parse_money
from zhengwei.procurement.services.common import (
    artefact,
    audit,
    complete_step,
    not_before,
    require,
    require_reached,
    required_text,
)
from zhengwei.procurement.services.purchases import purchase_create

TWO = Decimal("0.01")


def review_record(
    *,
    actor: User,
    contract: Contract,
    period: date,
    reviewed_on: date,
    score=None,
    findings: str = "",
) -> Review:
    """A monthly monitoring review (OCDS implementation milestone); the first completes the step."""
    purchase = contract.purchase
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    period = period.replace(day=1)
    if not (contract.start.replace(day=1) <= period <= contract.end):
        raise ValidationError(_("The month is outside the contract term."))
    not_before(reviewed_on, period, what=_("The review"))
    score = parse_money(score, field=_("The score")) if score not in (None, "") else None
    if score is not None and score > 100:
        raise ValidationError(_("A score is out of 100."))
    with transaction.atomic():
        lock(purchase)
        require_reached(purchase, Step.MONITORING)
        if Review.objects.filter(contract=contract, period=period).exists():
            raise ValidationError(_("This month is reviewed already."))
        review = Review.objects.create(
            contract=contract,
            period=period,
            score=score,
            findings=findings.strip(),
            reviewed_by=actor,
            reviewed_on=reviewed_on,
        )
        if purchase.step == Step.MONITORING:
            complete_step(
                purchase,
                Step.MONITORING,
                actor=actor,
                on=reviewed_on,
                data={
                    "review": review.pk,
                    "period": period.isoformat(),
                    "score": str(score) if score is not None else None,
                },
            )
        else:
            audit(
                actor,
                "procurement.review",
                contract,
                after={"period": period.isoformat(), "score": str(score)},
            )
    return review


def review_from_scorecard(
    *,
    actor: User | None,
    contract_id: int,
    month: date,
    score,
    vetoed: bool,
    signed_on: date,
    scorecard_ref: int,
    grade: str = "",
) -> Review | None:
    """The month's review written from the performance scorecard the office leader signed (the
    ``scorecard.signed`` event): the signed scorecard is the month's result, so it replaces a
    score entered by hand (the audit keeps the old one). The leader's signature is the decision,
    so no procurement permission is asked. None when the contract or the month does not fit."""
    contract = Contract.objects.select_related("purchase").filter(pk=contract_id).first()
    month = month.replace(day=1)
    if contract is None or not (contract.start.replace(day=1) <= month <= contract.end):
        return None
    purchase = contract.purchase
    score = Decimal(str(score)).quantize(TWO, ROUND_HALF_UP)
    note = _("Signed performance scorecard: %(score)s points (%(grade)s).") % {
        "score": score,
        "grade": grade or indicators.grade(score, vetoed=vetoed),
    }
    with transaction.atomic():
        lock(purchase)
        review = Review.objects.filter(contract=contract, period=month).first()
        before = None
        if review is None:
            review = Review(contract=contract, period=month, reviewed_on=signed_on)
        else:
            before = {"score": str(review.score), "findings": review.findings}
        review.score = score
        review.vetoed = vetoed
        review.scorecard_ref = scorecard_ref
        review.reviewed_by = actor
        if note not in review.findings:
            review.findings = "\n".join(x for x in (review.findings, note) if x)
        review.save()
        data = {
            "review": review.pk,
            "period": month.isoformat(),
            "score": str(score),
            "vetoed": vetoed,
            "scorecard": scorecard_ref,
        }
        if purchase.state == PurchaseState.OPEN and purchase.step == Step.MONITORING:
            complete_step(purchase, Step.MONITORING, actor=actor, on=signed_on, data=data)
        else:
            audit_record(
                actor=actor, action="procurement.review", obj=contract, before=before, after=data
            )
    return review


def acceptance_items(contract: Contract, measured: dict[str, object]) -> list[dict]:
    items = []
    for level in contract.service_levels.order_by("position", "pk"):
        raw = measured.get(level.indicator)
        value = None if raw in (None, "") else Decimal(str(raw))
        items.append(
            {
                "indicator": level.indicator,
                "label": level.spec.label,
                "unit": level.spec.unit,
                "target": str(level.target),
                "measured": None if value is None else str(value),
                "met": level.met(value),
                "veto": level.spec.veto,
                "deduction_percent": str(level.deduction_percent),
                "deduction_rule": level.deduction_rule,
            }
        )
    return items


def acceptance_record(
    *,
    actor: User,
    contract: Contract,
    period_label: str,
    accepted_on: date,
    members: list[User],
    measured: dict[str, object],
    period_fee,
    conclusion: str = "",
) -> Acceptance:
    """履约验收书: at least two panel members from the office; each service level against what was
    measured; a missed 单项否决 indicator fails the acceptance; missed levels deduct their share
    of the period's fee (at most all of it)."""
    purchase = contract.purchase
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    period_label = required_text(period_label, what=_("The period"))
    fee = parse_money(period_fee, field=_("The fee for the period"))
    members = list(dict.fromkeys(members))
    if len(members) < 2:
        raise ValidationError(
            _("The acceptance panel needs at least two people.") + f"（{rules.ACCEPTANCE}）"
        )
    for m in members:
        if P.is_contractor(m) or not may(m, P.PROCUREMENT_SIGN, purchase.account):
            raise ValidationError(
                _("%(name)s cannot sit on the acceptance panel.") % {"name": str(m)}
                + f"（{rules.ACCEPTANCE}）"
            )
    not_before(accepted_on, contract.start, what=_("The acceptance"))
    items = acceptance_items(contract, measured)
    missed = [i for i in items if not i["met"]]
    passed = not any(i["veto"] for i in missed)
    share = min(Decimal(100), sum((Decimal(i["deduction_percent"]) for i in missed), Decimal(0)))
    deduction = (fee * share / 100).quantize(TWO, ROUND_HALF_UP)
    with transaction.atomic():
        lock(purchase)
        require_reached(purchase, Step.ACCEPTANCE)
        acceptance = Acceptance.objects.create(
            contract=contract,
            period_label=period_label,
            accepted_on=accepted_on,
            items=items,
            passed=passed,
            period_fee=fee,
            deduction=deduction,
            conclusion=conclusion.strip(),
            created_by=actor,
        )
        acceptance.members.set(members)
        data = {
            "acceptance": acceptance.pk,
            "period": period_label,
            "passed": passed,
            "deduction": str(deduction),
            "members": [str(m) for m in members],
        }
        if purchase.step == Step.ACCEPTANCE:
            complete_step(purchase, Step.ACCEPTANCE, actor=actor, on=accepted_on, data=data)
        else:
            audit(actor, "procurement.acceptance", contract, after=data)
    return acceptance


def payment_record(
    *, actor: User, acceptance: Acceptance, amount, paid_on: date, note: str = ""
) -> Payment:
    """A payment after an acceptance that passed, at most the period's fee less deductions."""
    contract = acceptance.contract
    purchase = contract.purchase
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    amount = parse_money(amount, field=_("The payment"))
    if not acceptance.passed:
        raise ValidationError(
            _("The acceptance did not pass: no payment.") + f"（{rules.PAY_AFTER_ACCEPTANCE}）"
        )
    due = acceptance.period_fee - acceptance.deduction
    if amount <= 0 or amount > due:
        raise ValidationError(
            _("The payment must be above zero and at most ¥%(due)s (the fee less deductions).")
            % {"due": f"{due:,.2f}"}
            + f"（{rules.PAY_AFTER_ACCEPTANCE}）"
        )
    not_before(paid_on, acceptance.accepted_on, what=_("The payment"))
    with transaction.atomic():
        lock(purchase)
        require_reached(purchase, Step.PAYMENT)
        if Payment.objects.filter(acceptance=acceptance).exists():
            raise ValidationError(_("This acceptance is paid already."))
        payment = Payment.objects.create(
            contract=contract,
            acceptance=acceptance,
            amount=amount,
            paid_on=paid_on,
            note=note.strip(),
            created_by=actor,
        )
        data = {"payment": payment.pk, "amount": str(amount), "acceptance": acceptance.pk}
        if purchase.step == Step.PAYMENT:
            complete_step(purchase, Step.PAYMENT, actor=actor, on=paid_on, data=data)
        else:
            audit(actor, "procurement.payment", contract, after=data)
    return payment


def scorecard(contract: Contract) -> dict:
    """The year in numbers from the procurement records: the monthly review scores (the signed
    performance scorecards, or scores entered by hand) and their grade (a month's veto event
    makes it 差), acceptances passed, deductions and payments."""
    reviews = list(contract.reviews.order_by("period"))
    scored = [r.score for r in reviews if r.score is not None]
    average = (
        (sum(scored, Decimal(0)) / len(scored)).quantize(TWO, ROUND_HALF_UP) if scored else None
    )
    acceptances = list(contract.acceptances.all())
    vetoed = any(r.vetoed for r in reviews) or any(
        any(i.get("veto") and not i.get("met") for i in a.items) for a in acceptances
    )
    return {
        "reviews": reviews,
        "average": average,
        "grade": indicators.grade(average, vetoed=vetoed) if average is not None else "—",
        "vetoed": vetoed,
        "acceptances": len(acceptances),
        "acceptances_passed": sum(1 for a in acceptances if a.passed),
        "deductions": sum((a.deduction for a in acceptances), Decimal("0.00")),
        "paid": sum((p.amount for p in contract.payments.all()), Decimal("0.00")),
        "supplements": contract.supplements_total,
    }


class Decision:
    RENEW = "renew"
    REPROCURE = "reprocure"
    END = "end"
    LABELS = {"renew": "续签（限额以下、绩效合格）", "reprocure": "重新采购", "end": "不再购买"}


def renewal_decide(
    *,
    actor: User,
    purchase: Purchase,
    decision: str,
    on: date,
    reason: str,
) -> Purchase | None:
    """续签或重新采购决定: renewal only below the limit and with a grade better than 差; otherwise a
    new purchase for the next year, pre-filled from this one; or the service ends. Closes this
    purchase; returns the new purchase (None when the service ends)."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    reason = required_text(reason, what=_("The reason"))
    if decision not in Decision.LABELS:
        raise ValidationError(_("Unknown decision."))
    contract = getattr(purchase, "contract", None)
    if contract is None:
        raise ValidationError(_("There is no contract to renew."))
    card = scorecard(contract)
    routing = artefact(purchase, Step.ROUTING)
    if decision == Decision.RENEW:
        if card["grade"] in ("差", "—"):
            raise ValidationError(
                _("Renewal needs a performance grade better than 差 (now %(grade)s).")
                % {"grade": card["grade"]}
                + f"（{rules.RENEWAL}）"
            )
        if not routing.data.get("below_limit"):
            raise ValidationError(
                _("Above the limit a new contract needs a new procurement.")
                + f"（{rules.RENEWAL}）"
            )
    with transaction.atomic():
        lock(purchase)
        successor = None
        if decision != Decision.END:
            successor = purchase_create(
                actor=actor,
                account=purchase.account,
                title=purchase.title,
                year=purchase.year + 1,
                level=purchase.level,
                region=purchase.region,
                follows=contract,
            )
        complete_step(
            purchase,
            Step.RENEWAL,
            actor=actor,
            on=on,
            data={
                "decision": decision,
                "decision_label": Decision.LABELS[decision],
                "reason": reason,
                "grade": card["grade"],
                "average": str(card["average"]) if card["average"] is not None else None,
                "successor": successor.ocid if successor else None,
            },
        )
    return successor


def prefill(purchase: Purchase, step: str) -> dict:
    """What a follow-on purchase's step form starts from: the same step's data of the purchase
    whose contract it follows."""
    if purchase.follows_id is None or not steps.reached(purchase, Step.ELIGIBILITY):
        return {}
    done = artefact(purchase.follows.purchase, step)
    return dict(done.data) if done else {}
