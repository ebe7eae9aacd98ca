"""What every procurement service shares: permission checks, the audit entry, the step writer
that enforces the order of steps and their dates, and input checks that name their rule."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied
from zhengwei.audit.services import audit_record
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User
from zhengwei.procurement import policy as P
from zhengwei.procurement import rules, steps
from zhengwei.procurement.models import Artefact, Purchase, PurchaseState, Step


def require(actor, action: str, purchase: Purchase) -> None:
    if not isinstance(actor, User) or not P.may_on_purchase(actor, action, purchase):
        raise denied()


def audit(actor, action: str, obj, *, after: dict | None = None, note: str = "") -> None:
    audit_record(actor=actor, action=action, obj=obj, after=after, note=note)


def require_open(purchase: Purchase) -> None:
    if purchase.state != PurchaseState.OPEN:
        raise ValidationError(
            _("This purchase is %(state)s.") % {"state": purchase.get_state_display()}
        )


def require_step(purchase: Purchase, step: str) -> None:
    """``step`` must be the current step (its predecessors' artefacts all exist)."""
    require_open(purchase)
    if purchase.step != step:
        if steps.reached(purchase, step):
            raise ValidationError(_("%(step)s is already done.") % {"step": Step(step).label})
        raise ValidationError(
            _("%(step)s is blocked until %(current)s has produced its artefact (%(name)s).")
            % {
                "step": Step(step).label,
                "current": Step(purchase.step).label,
                "name": steps.ARTEFACT_NAMES[purchase.step],
            }
            + f"（{rules.STEP_ORDER}）"
        )


def require_reached(purchase: Purchase, step: str) -> None:
    if not steps.reached(purchase, step):
        raise ValidationError(
            _("%(step)s is blocked until %(current)s has produced its artefact (%(name)s).")
            % {
                "step": Step(step).label,
                "current": Step(purchase.step).label,
                "name": steps.ARTEFACT_NAMES[purchase.step],
            }
            + f"（{rules.STEP_ORDER}）"
        )


def last_date(purchase: Purchase) -> date | None:
    latest = purchase.artefacts.order_by("-completed_on").first()
    return latest.completed_on if latest else None


def not_before(day: date, earlier: date | None, *, what: str) -> None:
    """Refuse a date before the previous step's date, naming both."""
    if earlier is not None and day < earlier:
        raise ValidationError(
            _("%(what)s (%(day)s) is before the previous step (%(earlier)s).")
            % {"what": what, "day": day.isoformat(), "earlier": earlier.isoformat()}
            + f"（{rules.DATE_ORDER}）"
        )


def complete_step(
    purchase: Purchase, step: str, *, actor, on: date, data: dict, note: str = ""
) -> Artefact:
    """Write the step's named artefact and move the purchase to the next step (inside the
    caller's transaction, with the purchase row locked by the caller)."""
    require_step(purchase, step)
    not_before(on, last_date(purchase), what=str(Step(step).label))
    artefact = Artefact.objects.create(
        purchase=purchase,
        step=step,
        name=steps.ARTEFACT_NAMES[step],
        data=data,
        completed_on=on,
        created_by=actor if isinstance(actor, User) else None,
    )
    following = steps.next_step(step)
    if following is None:
        purchase.state = PurchaseState.CLOSED
    else:
        purchase.step = following
    purchase.save(update_fields=["step", "state", "updated_at"])
    audit(
        actor,
        f"procurement.step.{step}",
        purchase,
        after={"artefact": artefact.name, "step": purchase.step, "on": on.isoformat()},
        note=note,
    )
    publish_on_commit(
        "procurement.step_completed",
        purchase_id=purchase.pk,
        account_id=purchase.account_id,
        step=step,
        artefact_id=artefact.pk,
    )
    return artefact


def artefact(purchase: Purchase, step: str) -> Artefact | None:
    return purchase.artefacts.filter(step=step).first()


def required_text(value: str, *, what: str, rule: str = "") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(
            _("%(what)s is required.") % {"what": what} + (f"（{rule}）" if rule else "")
        )
    return value
