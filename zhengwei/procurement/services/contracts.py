"""The contract: term, value, the service-level table with payment deductions, publication and
filing deadlines, and supplementary agreements capped at 10 %."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwei.lib import indicators
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User
from zhengwei.procurement import policy as P
from zhengwei.procurement import rules
from zhengwei.procurement.models import (
    Bid,
    Contract,
    Purchase,
    Reminder,
    ServiceLevel,
    Step,
    Supplement,
)
from zhengwei.procurement.money import parse_money
from zhengwei.procurement.services.common import (
    artefact,
    audit,
    complete_step,
    not_before,
    require,
    require_step,
    required_text,
)
from zhengwei.procurement.workdays import add_working_days

SUPPLEMENT_CAP = Decimal("0.10")


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def term_check(start: date, end: date, *, long_term_conditions: str) -> None:
    """At most one year (end before the anniversary of the start); up to three with the 102号令
    conditions recorded."""
    if end < start:
        raise ValidationError(_("The contract ends before it starts."))
    if end < years_after(start, 1):
        return
    if end >= years_after(start, 3):
        raise ValidationError(
            _("A contract term over three years is not allowed.") + f"（{rules.TERM}）"
        )
    if not long_term_conditions.strip():
        raise ValidationError(
            _("A contract term over one year needs the conditions recorded.") + f"（{rules.TERM}）"
        )


def service_level_rows(rows: list[dict]) -> list[dict]:
    """Check the service-level table: known indicators, each once, points ≤ 100 in total,
    deductions 0–100 %."""
    if not rows:
        raise ValidationError(
            _("The contract needs its service-level table.") + f"（{rules.SERVICE_LEVELS}）"
        )
    seen, clean, total = set(), [], Decimal(0)
    for row in rows:
        code = row.get("indicator", "")
        try:
            indicators.get(code)
        except KeyError:
            raise ValidationError(_("Unknown indicator %(code)s.") % {"code": code}) from None
        if code in seen:
            raise ValidationError(_("%(code)s appears twice in the table.") % {"code": code})
        seen.add(code)
        try:
            target = Decimal(str(row.get("target", "")))
            points = Decimal(str(row.get("points", "0")))
            deduction = Decimal(str(row.get("deduction_percent", "0")))
        except ArithmeticError:
            raise ValidationError(_("Targets, points and deductions are numbers.")) from None
        if not (0 <= deduction <= 100) or points < 0:
            raise ValidationError(_("A deduction is 0–100 % and points are not negative."))
        total += points
        clean.append(
            {
                "indicator": code,
                "target": target,
                "points": points,
                "deduction_percent": deduction,
                "deduction_rule": str(row.get("deduction_rule", "")).strip()[:200],
            }
        )
    if total > 100:
        raise ValidationError(_("The points add up to more than 100."))
    return clean


def contract_sign(
    *,
    actor: User,
    purchase: Purchase,
    number: str,
    signed_on: date,
    start: date,
    end: date,
    value,
    service_levels: list[dict],
    long_term_conditions: str = "",
) -> Contract:
    """政府购买服务合同 with the awarded supplier: within the award, the term rule, the
    service-level table; publication (2 working days) and filing (7) become reminders."""
    require(actor, P.PROCUREMENT_MANAGE, purchase)
    number = required_text(number, what=_("The contract number"))
    value = parse_money(value, field=_("The contract value"))
    term_check(start, end, long_term_conditions=long_term_conditions)
    rows = service_level_rows(service_levels)
    with transaction.atomic():
        lock(purchase)
        require_step(purchase, Step.CONTRACT)
        award = artefact(purchase, Step.AWARD)
        not_before(signed_on, award.completed_on, what=_("The signing date"))
        if value > Decimal(award.data["amount"]):
            raise ValidationError(
                _("The contract value is above the awarded amount (¥%(amount)s).")
                % {"amount": award.data["amount"]}
            )
        req = artefact(purchase, Step.REQUIREMENTS)
        if end >= years_after(start, 1) and req.data.get("term_months", 12) <= 12:
            raise ValidationError(
                _("The requirements asked for a term of one year at most.") + f"（{rules.TERM}）"
            )
        bid = Bid.objects.select_related("supplier").get(pk=award.data["bid"])
        contract = Contract.objects.create(
            purchase=purchase,
            account=purchase.account,
            supplier=bid.supplier,
            number=number,
            value=value,
            signed_on=signed_on,
            start=start,
            end=end,
            long_term_conditions=long_term_conditions.strip(),
        )
        ServiceLevel.objects.bulk_create(
            ServiceLevel(contract=contract, position=i, **row) for i, row in enumerate(rows)
        )
        sign_by = date.fromisoformat(award.data["sign_by"])
        complete_step(
            purchase,
            Step.CONTRACT,
            actor=actor,
            on=signed_on,
            data={
                "contract": contract.pk,
                "number": number,
                "supplier": bid.supplier.name,
                "value": str(value),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "sign_by": sign_by.isoformat(),
                "signed_late": signed_on > sign_by,
                "service_levels": [
                    {
                        **r,
                        "target": str(r["target"]),
                        "points": str(r["points"]),
                        "deduction_percent": str(r["deduction_percent"]),
                    }
                    for r in rows
                ],
            },
        )
        Reminder.objects.filter(purchase=purchase, kind="sign_contract").update(done_on=signed_on)
        for kind, n in (("publish_contract", 2), ("file_contract", 7)):
            Reminder.objects.update_or_create(
                purchase=purchase, kind=kind, defaults={"due_on": add_working_days(signed_on, n)}
            )
        publish_on_commit(
            "contract.signed", contract_id=contract.pk, account_id=purchase.account_id
        )
    return contract


def _contract_date(
    actor, contract: Contract, on: date, *, field: str, kind: str, rule: str
) -> Contract:
    require(actor, P.PROCUREMENT_MANAGE, contract.purchase)
    not_before(on, contract.signed_on, what=_("This date"))
    with transaction.atomic():
        lock(contract)
        if getattr(contract, field):
            raise ValidationError(_("Already recorded."))
        setattr(contract, field, on)
        contract.save(update_fields=[field])
        reminder = Reminder.objects.filter(purchase=contract.purchase, kind=kind).first()
        late = bool(reminder and on > reminder.due_on)
        Reminder.objects.filter(purchase=contract.purchase, kind=kind).update(done_on=on)
        audit(
            actor,
            f"procurement.contract.{field}",
            contract,
            after={field: on.isoformat(), "late": late},
            note=rule if late else "",
        )
    return contract


def contract_publish(*, actor: User, contract: Contract, on: date) -> Contract:
    return _contract_date(
        actor, contract, on, field="published_on", kind="publish_contract", rule=rules.PUBLISH
    )


def contract_file(*, actor: User, contract: Contract, on: date) -> Contract:
    return _contract_date(
        actor, contract, on, field="filed_on", kind="file_contract", rule=rules.FILE
    )


def supplement_add(
    *, actor: User, contract: Contract, amount, signed_on: date, reason: str
) -> Supplement:
    """补充合同: all supplements together at most 10 % of the original value."""
    require(actor, P.PROCUREMENT_MANAGE, contract.purchase)
    amount = parse_money(amount, field=_("The supplement"))
    if amount <= 0:
        raise ValidationError(_("The supplement must be above zero."))
    reason = required_text(reason, what=_("The reason"))
    not_before(signed_on, contract.signed_on, what=_("The supplement"))
    with transaction.atomic():
        lock(contract)
        total = contract.supplements_total + amount
        if total > (contract.value * SUPPLEMENT_CAP).quantize(Decimal("0.01")):
            raise ValidationError(
                _("Supplements would total ¥%(total)s, %(share)s%% of the contract.")
                % {"total": f"{total:,.2f}", "share": f"{total * 100 / contract.value:.1f}"}
                + f"（{rules.SUPPLEMENT}）"
            )
        supplement = Supplement.objects.create(
            contract=contract, amount=amount, signed_on=signed_on, reason=reason, created_by=actor
        )
        audit(
            actor,
            "procurement.supplement.add",
            contract,
            after={"amount": str(amount), "total": str(total)},
        )
    return supplement
