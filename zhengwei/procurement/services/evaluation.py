"""The evaluation panel (each member's conflict-of-interest declaration), the scoring sheet
(service quality weighted above price), the ranking and the award."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied, may
from zhengwei.lib.db import lock
from zhengwei.orgs.models import User
from zhengwei.procurement import policy as P
from zhengwei.procurement import rules, steps
from zhengwei.procurement.models import (
    Bid,
    Evaluator,
    Method,
    Purchase,
    Reminder,
    Score,
    Step,
)
from zhengwei.procurement.money import parse_money
from zhengwei.procurement.services.common import (
    artefact,
    audit,
    complete_step,
    not_before,
    require,
    require_open,
    require_step,
    required_text,
)
from zhengwei.procurement.workdays import add_working_days, working_days_between

TWO = Decimal("0.01")
# Members of the panel for the statutory methods (87号令 / 74号令: 3 or more); the unit's own
# below-limit comparison may be done by fewer.
MIN_PANEL = {Method.BELOW_LIMIT: 1}


def price_weight(purchase: Purchase) -> int:
    req = artefact(purchase, Step.REQUIREMENTS)
    return int(req.data.get("price_weight", 20)) if req else 20


def evaluator_seat(*, actor: User, purchase: Purchase, user: User) -> Evaluator:
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    require_open(purchase)
    if steps.reached(purchase, Step.AWARD):
        raise ValidationError(_("The evaluation is over."))
    if P.is_contractor(user) or not may(user, P.PROCUREMENT_EVALUATE, purchase.account):
        raise ValidationError(_("%(name)s cannot evaluate this purchase.") % {"name": str(user)})
    with transaction.atomic():
        seat, created = Evaluator.objects.get_or_create(purchase=purchase, user=user)
        if created:
            audit(actor, "procurement.evaluator.seat", purchase, after={"evaluator": user.username})
    return seat


def evaluator_declare(
    *, actor: User, purchase: Purchase, no_conflict: bool, declaration: str = ""
) -> Evaluator:
    """The member's own declaration: no interest in any bidder, or the conflict (then no scores)."""
    seat = Evaluator.objects.filter(purchase=purchase, user=actor).first()
    if seat is None:
        raise denied()
    require_open(purchase)
    if not no_conflict:
        required_text(declaration, what=_("The conflict"), rule=rules.CONFLICT)
    with transaction.atomic():
        lock(seat)
        if seat.declared_at is not None:
            raise ValidationError(_("The declaration is made once."))
        seat.no_conflict = bool(no_conflict)
        seat.declaration = declaration.strip()
        seat.declared_at = timezone.now()
        seat.save()
        audit(
            actor,
            "procurement.evaluator.declare",
            purchase,
            after={"no_conflict": seat.no_conflict},
        )
    return seat


def score_submit(*, actor: User, bid: Bid, quality, price, comment: str = "") -> Score:
    """One evaluator's scores for one qualified bid: quality out of (100 − price weight), price
    out of the price weight (10–30)."""
    purchase = bid.purchase
    if not isinstance(actor, User) or not P.may_on_purchase(
        actor, P.PROCUREMENT_EVALUATE, purchase
    ):
        raise denied()
    seat = Evaluator.objects.get(purchase=purchase, user=actor)
    if seat.declared_at is None:
        raise ValidationError(
            _("Declare any conflict of interest before scoring.") + f"（{rules.CONFLICT}）"
        )
    if not seat.no_conflict:
        raise ValidationError(
            _("A member with a conflict of interest does not score.") + f"（{rules.CONFLICT}）"
        )
    if not bid.qualified:
        raise ValidationError(_("Only qualified bids are scored.") + f"（{rules.LICENCE}）")
    weight = price_weight(purchase)
    q = parse_money(quality, field=_("Quality points"))
    p = parse_money(price, field=_("Price points"))
    if q > 100 - weight:
        raise ValidationError(
            _("Quality points are at most %(n)s.") % {"n": 100 - weight}
            + f"（{rules.PRICE_WEIGHT}）"
        )
    if p > weight:
        raise ValidationError(
            _("Price points are at most %(n)s.") % {"n": weight} + f"（{rules.PRICE_WEIGHT}）"
        )
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.EVALUATION)
        score, _created = Score.objects.update_or_create(
            evaluator=seat, bid=bid, defaults={"quality": q, "price": p, "comment": comment.strip()}
        )
        audit(
            actor,
            "procurement.score",
            purchase,
            after={"supplier": bid.supplier.name, "quality": str(q), "price": str(p)},
        )
    return score


def ranking(purchase: Purchase) -> list[dict]:
    """Qualified bids by average total score (quality + price), then by the lower amount."""
    rows = []
    for bid in purchase.bids.filter(qualified=True).select_related("supplier"):
        scores = [
            s for s in bid.scores.select_related("evaluator__user") if s.evaluator.no_conflict
        ]
        n = len(scores)
        q = (
            (sum((s.quality for s in scores), Decimal(0)) / n).quantize(TWO, ROUND_HALF_UP)
            if n
            else Decimal(0)
        )
        p = (
            (sum((s.price for s in scores), Decimal(0)) / n).quantize(TWO, ROUND_HALF_UP)
            if n
            else Decimal(0)
        )
        rows.append(
            {
                "bid": bid.pk,
                "supplier": bid.supplier.name,
                "amount": str(bid.amount),
                "quality": str(q),
                "price": str(p),
                "total": str(q + p),
                "scores": [
                    {
                        "evaluator": str(s.evaluator.user),
                        "quality": str(s.quality),
                        "price": str(s.price),
                        "total": str(s.total),
                    }
                    for s in scores
                ],
            }
        )
    rows.sort(key=lambda r: (-Decimal(r["total"]), Decimal(r["amount"])))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def _period_ok(method: str, issued_on: date, deadline: date) -> None:
    need = steps.MIN_PERIOD.get(method)
    if need is None:
        return
    days, working = need
    got = working_days_between(issued_on, deadline) if working else (deadline - issued_on).days
    if got < days:
        raise ValidationError(
            _(
                "%(method)s needs at least %(n)s %(unit)s between the documents and the deadline (%(got)s given)."
            )
            % {
                "method": Method(method).label,
                "n": days,
                "unit": _("working days") if working else _("days"),
                "got": got,
            }
            + f"（{rules.PERIODS}）"
        )


def evaluation_complete(
    *,
    actor: User,
    purchase: Purchase,
    on: date,
    issued_on: date,
    deadline: date,
    minutes: str,
):
    """比价/评审表: the periods kept, every member declared, every qualified bid scored by every
    member without a conflict, the ranking and the panel's collective minutes."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    minutes = required_text(minutes, what=_("The minutes of the collective decision"))
    if deadline < issued_on:
        raise ValidationError(_("The deadline is before the documents were issued."))
    _period_ok(purchase.method, issued_on, deadline)
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.EVALUATION)
        routing = artefact(purchase, Step.ROUTING)
        not_before(issued_on, routing.completed_on, what=_("The solicitation documents"))
        not_before(on, deadline, what=_("The evaluation"))
        seats = list(purchase.evaluators.select_related("user"))
        undeclared = [s.user.username for s in seats if s.declared_at is None]
        if undeclared:
            raise ValidationError(
                _("Not yet declared: %(names)s.") % {"names": "、".join(undeclared)}
                + f"（{rules.CONFLICT}）"
            )
        scoring = [s for s in seats if s.no_conflict]
        minimum = MIN_PANEL.get(purchase.method, 3)
        if len(scoring) < minimum:
            raise ValidationError(
                _("The panel needs at least %(n)s members without a conflict.") % {"n": minimum}
            )
        bids = list(purchase.bids.filter(qualified=True))
        missing = [
            f"{s.user.username}→{b.supplier.name}"
            for s in scoring
            for b in bids
            if not Score.objects.filter(evaluator=s, bid=b).exists()
        ]
        if missing:
            raise ValidationError(_("Scores missing: %(pairs)s.") % {"pairs": "、".join(missing)})
        table = ranking(purchase)
        return complete_step(
            purchase,
            Step.EVALUATION,
            actor=actor,
            on=on,
            data={
                "issued_on": issued_on.isoformat(),
                "deadline": deadline.isoformat(),
                "price_weight": price_weight(purchase),
                "panel": [
                    {
                        "name": str(s.user),
                        "no_conflict": s.no_conflict,
                        "declaration": s.declaration,
                    }
                    for s in seats
                ],
                "ranking": table,
                "minutes": minutes,
            },
        )


def award_record(
    *,
    actor: User,
    purchase: Purchase,
    bid: Bid,
    on: date,
    notice_published_on: date,
    reason: str = "",
):
    """成交通知书: to the first-ranked bid unless the reason is recorded; the notice is due within
    2 working days and the contract within 30 days (tracked as reminders)."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    require_step(purchase, Step.AWARD)
    if bid.purchase_id != purchase.pk:
        raise ValidationError(_("The bid is not one of this purchase's."))
    if not bid.qualified:
        raise ValidationError(_("An unqualified bid cannot be awarded.") + f"（{rules.LICENCE}）")
    budget = artefact(purchase, Step.BUDGET)
    if bid.amount > parse_money(budget.data["amount"]):
        raise ValidationError(_("The amount is above the approved budget.") + f"（{rules.BUDGET}）")
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.AWARD)
        evaluation = artefact(purchase, Step.EVALUATION)
        first = next((r for r in evaluation.data["ranking"] if r["rank"] == 1), None)
        if first and first["bid"] != bid.pk and not reason.strip():
            raise ValidationError(
                _("The award goes to the first-ranked bid unless the reason is recorded.")
            )
        not_before(notice_published_on, on, what=_("The award notice"))
        notice_due = add_working_days(on, 2)
        data = {
            "bid": bid.pk,
            "supplier": bid.supplier.name,
            "credit_code": bid.supplier.credit_code,
            "amount": str(bid.amount),
            "reason": reason.strip(),
            "notice_published_on": notice_published_on.isoformat(),
            "notice_due": notice_due.isoformat(),
            "notice_late": notice_published_on > notice_due,
            "sign_by": date.fromordinal(on.toordinal() + 30).isoformat(),
        }
        done = complete_step(purchase, Step.AWARD, actor=actor, on=on, data=data)
        Reminder.objects.update_or_create(
            purchase=purchase,
            kind="sign_contract",
            defaults={"due_on": date.fromordinal(on.toordinal() + 30)},
        )
        return done
