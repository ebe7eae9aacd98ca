"""Reads for procurement pages and for the apps above (performance scores against the contract's
service levels through ``contract_current`` and ``service_levels``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from zhengwei.access.policy import accounts_for, denied
from zhengwei.orgs.models import WeChatAccount
from zhengwei.procurement import policy as P
from zhengwei.procurement.models import (
    Contract,
    ContractState,
    Purchase,
    ServiceLevel,
    ThresholdRule,
)


def contract_current(*, account: WeChatAccount, on: date) -> Contract | None:
    """The account's contract in force on ``on`` (signed, not terminated, ``start ≤ on ≤ end``);
    the latest-starting one if several overlap. No permission check: the caller checks its own."""
    return (
        Contract.objects.filter(account=account, start__lte=on, end__gte=on)
        .exclude(state=ContractState.TERMINATED)
        .select_related("supplier", "purchase")
        .order_by("-start", "-pk")
        .first()
    )


def service_levels(contract: Contract) -> list[ServiceLevel]:
    """The contract's service-level table in its order (each row's ``indicator`` is a code of
    ``zhengwei.lib.indicators``; ``row.spec`` is the catalogue entry)."""
    return list(contract.service_levels.order_by("position", "pk"))


def contracts_for(*, account: WeChatAccount, start: date, end: date) -> list[Contract]:
    """Contracts in force at any time in [start, end) (end exclusive)."""
    return list(
        Contract.objects.filter(account=account, start__lt=end, end__gte=start)
        .exclude(state=ContractState.TERMINATED)
        .select_related("supplier")
        .order_by("start")
    )


def purchase_list(*, user, account: WeChatAccount | None = None) -> QuerySet[Purchase]:
    """The purchases ``user`` may see: of the accounts they hold a viewing role on; contractor
    people only those their organisation bid on."""
    accounts = accounts_for(user, P.PROCUREMENT_VIEW)
    if account is not None:
        accounts = [a for a in accounts if a.pk == account.pk]
    qs = Purchase.objects.filter(account__in=accounts).select_related("account")
    if P.is_contractor(user):
        qs = qs.filter(bids__supplier__organisation_id=user.organisation_id).distinct()
    return qs


def purchase_get(*, user, pk: int, action: str = P.PROCUREMENT_VIEW) -> Purchase:
    purchase = Purchase.objects.select_related("account", "follows").filter(pk=pk).first()
    if purchase is None or not P.may_on_purchase(user, action, purchase):
        raise denied()
    return purchase


def evaluations_for(*, user) -> QuerySet[Purchase]:
    """The purchases on whose evaluation panel ``user`` sits."""
    return Purchase.objects.filter(evaluators__user=user).select_related("account")


def threshold_in_force(*, region: str, level: str, on: date) -> ThresholdRule | None:
    return (
        ThresholdRule.objects.filter(region=region, level=level, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def contracts_ending(*, before: date, after: date | None = None) -> QuerySet[Contract]:
    q = Q(end__lte=before, state=ContractState.SIGNED)
    if after:
        q &= Q(end__gte=after)
    return Contract.objects.filter(q).select_related("purchase", "account", "supplier")
