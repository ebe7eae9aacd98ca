"""Routing rules (which unit gets which county and hazard)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import Organisation, WeChatAccount
from zhengwei.reports import geo
from zhengwei.reports import policy as P
from zhengwei.reports.actors import SYSTEM
from zhengwei.reports.models import (
    Hazard,
    RoutingRule,
)
from zhengwei.reports.selectors import is_unit_of


def routing_rule_save(
    *,
    actor,
    account: WeChatAccount,
    county_code: str,
    unit: Organisation,
    hazard: str = "",
    is_active: bool = True,
) -> RoutingRule:
    """Create or change the rule for a county (× hazard). ``actor`` is the person (checked by the
    policy) or ``SYSTEM`` for seed data. Saving a rule unchanged writes nothing, not even audit."""
    if actor is not SYSTEM:
        require(actor, P.REPORTS_ROUTING, account)
    area = geo.county_by_code(county_code)
    errors = {}
    if area is None:
        errors["county_code"] = [_("Unknown county code.")]
    if hazard and hazard not in Hazard.values:
        errors["hazard"] = [_("Choose what happened.")]
    if not is_unit_of(unit, account):
        errors["unit"] = [_("%(unit)s is not a unit of this office.") % {"unit": unit}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = RoutingRule.objects.filter(
            account=account, county_code=county_code, hazard=hazard
        ).first()
        before = snapshot(rule) if rule else None
        if rule is None:
            rule = RoutingRule(account=account, county_code=county_code, hazard=hazard)
        rule.county_name = area.name
        rule.unit = unit
        rule.is_active = is_active
        if before is not None and snapshot(rule) == before:
            return rule
        rule.save()
        b, a = diff(before, snapshot(rule)) if before else (None, snapshot(rule))
        audit_record(
            actor=None if actor is SYSTEM else actor,
            actor_name=SYSTEM.label if actor is SYSTEM else "",
            action="routing_rule.save",
            obj=rule,
            before=b,
            after=a,
        )
        publish_on_commit("routing_rule.saved", rule_id=rule.pk, account_id=account.pk)
    return rule


def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require(actor, P.REPORTS_ROUTING, rule.account)
    with transaction.atomic():
        audit_record(actor=actor, action="routing_rule.delete", obj=rule, before=snapshot(rule))
        account_id = rule.account_id
        rule.delete()
        publish_on_commit("routing_rule.deleted", account_id=account_id)
