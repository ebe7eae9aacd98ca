"""Who may do what in procurement (registered in the one policy; imported from ready()).

The office's buyer (采购专员) runs a purchase; two office people sign each qualification checklist;
evaluators seated on a purchase's panel only score it; the contractor's project manager sees its
own bids and contracts; auditors read everything. Scope: a role is held on an account and a
purchase belongs to one account; a contractor additionally sees only purchases it bid on.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zhengwei.access.policy import decided, may, register
from zhengwei.audit.labels import register_actions
from zhengwei.orgs.models import OrgKind, Role, User
from zhengwei.procurement.models import Step

PROCUREMENT_VIEW = "procurement.view"
PROCUREMENT_MANAGE = "procurement.manage"
PROCUREMENT_SIGN = "procurement.qualification.sign"
PROCUREMENT_EVALUATE = "procurement.evaluate"
PROCUREMENT_THRESHOLDS = "procurement.thresholds.manage"
# The office's records of suppliers, evidence and thresholds (never a supplier's people).
PROCUREMENT_RECORDS = "procurement.records.view"

BUYER = {Role.PROCUREMENT_OFFICER}
OFFICE_SIGNERS = {Role.PROCUREMENT_OFFICER, Role.OFFICE_LEADER, Role.OFFICE_REVIEWER}

register(
    PROCUREMENT_VIEW,
    OFFICE_SIGNERS | {Role.AUDITOR, Role.PROJECT_MANAGER},
)
register(PROCUREMENT_MANAGE, BUYER)
register(PROCUREMENT_SIGN, OFFICE_SIGNERS)
register(
    PROCUREMENT_EVALUATE,
    OFFICE_SIGNERS | {Role.DUTY_LEADER, Role.DUTY_OFFICER},
)
register(PROCUREMENT_THRESHOLDS, BUYER | {Role.SYSTEM_ADMIN})
register(PROCUREMENT_RECORDS, OFFICE_SIGNERS | {Role.AUDITOR, Role.SYSTEM_ADMIN})


def is_contractor(user) -> bool:
    return isinstance(user, User) and user.org_kind == OrgKind.CONTRACTOR


def supplier_party(user, purchase) -> bool:
    """The person's organisation is a supplier that bid on the purchase (or holds its contract)."""
    if not isinstance(user, User) or not user.organisation_id:
        return False
    return decided(
        user,
        ("procurement.party", purchase.pk),
        lambda: purchase.bids.filter(supplier__organisation_id=user.organisation_id).exists(),
    )


def seated(user, purchase) -> bool:
    """The person sits on the purchase's evaluation panel."""
    return isinstance(user, User) and decided(
        user,
        ("procurement.seated", purchase.pk),
        lambda: purchase.evaluators.filter(user=user).exists(),
    )


def may_on_purchase(user, action: str, purchase) -> bool:
    if not may(user, action, purchase):
        return False
    if action == PROCUREMENT_VIEW and is_contractor(user):
        return supplier_party(user, purchase)
    if action == PROCUREMENT_EVALUATE:
        return seated(user, purchase)
    return True


# What people read in the audit log and "my recent activity" instead of the codes.
register_actions(
    {
        "procurement.acceptance": _("Recorded a monthly acceptance"),
        "procurement.bid.record": _("Recorded a bid"),
        "procurement.cancel": _("Cancelled a purchase"),
        "procurement.catalogue.add": _("Added a catalogue item"),
        "procurement.contract.published_on": _("Recorded the contract's publication"),
        "procurement.contract.filed_on": _("Recorded the contract's filing"),
        "procurement.evaluator.declare": _("Declared no conflict of interest as an evaluator"),
        "procurement.evaluator.seat": _("Seated an evaluator"),
        "procurement.evidence.add": _("Added a supplier's evidence"),
        "procurement.payment": _("Recorded a payment"),
        "procurement.qualification.first": _("Signed a qualification check (first signer)"),
        "procurement.qualification.second": _("Signed a qualification check (second signer)"),
        "procurement.score": _("Scored a bid"),
        "procurement.supplement.add": _("Added a supplementary agreement"),
        "procurement.supplier.create": _("Registered a supplier"),
        "procurement.threshold.add": _("Added a threshold rule"),
        **{
            f"procurement.step.{value}": format_lazy(_("Completed the purchase step “{}”"), label)
            for value, label in Step.choices
        },
    }
)
