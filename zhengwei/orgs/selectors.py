"""Reads of organisations, accounts, people and rosters, with permissions applied."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhengwei.access.policy import Action, accounts_of, may
from zhengwei.orgs.models import DutyShift, Organisation, RoleGrant, RoleRule, User, WeChatAccount


def _visible_org_ids(user: User) -> set[int]:
    ids: set[int] = set()
    for account in accounts_of(user):
        ids.update(o.pk for o in account.organisations())
    if user.organisation_id:
        ids.add(user.organisation_id)
    return ids


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("parent")
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=_visible_org_ids(user))


def account_list(*, user: User) -> QuerySet[WeChatAccount]:
    qs = WeChatAccount.objects.select_related("office", "contractor")
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=[a.pk for a in accounts_of(user) if may(user, Action.ACCOUNT_VIEW, a)])


def account_get(*, user: User, pk: int, action: str = Action.ACCOUNT_VIEW) -> WeChatAccount:
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    account = get_object_or_404(WeChatAccount.objects.select_related("office", "contractor"), pk=pk)
    if not may(user, action, account):
        raise PermissionDenied
    return account


def people_list(*, user: User, search: str = "") -> QuerySet[User]:
    qs = User.objects.select_related("organisation").prefetch_related("grants__account")
    if not user.is_superuser:
        qs = qs.filter(organisation_id__in=_visible_org_ids(user))
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(display_name__icontains=search)
            | Q(organisation__name__icontains=search)
        )
    return qs


def grantable_roles(*, account: WeChatAccount, organisation: Organisation) -> list[str]:
    return list(
        RoleRule.objects.filter(
            operation_model=account.operation_model, org_kind=organisation.kind
        ).values_list("role", flat=True)
    )


def roster_list(*, user: User, start: datetime, end: datetime) -> QuerySet[DutyShift]:
    qs = DutyShift.objects.select_related("organisation", "user").filter(
        starts_at__lt=end, ends_at__gt=start
    )
    if not user.is_superuser:
        qs = qs.filter(organisation_id__in=_visible_org_ids(user))
    return qs.order_by("organisation__kind", "organisation__name", "starts_at", "post")


def on_duty(*, organisation: Organisation, at: datetime | None = None) -> list[DutyShift]:
    """Who answers now for an organisation, A post first (used for routing; no permission check)."""
    at = at or timezone.now()
    return list(
        DutyShift.objects.select_related("user")
        .filter(organisation=organisation, starts_at__lte=at, ends_at__gt=at, user__is_active=True)
        .order_by("post", "starts_at")
    )


def grants_for(*, account: WeChatAccount) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(account=account).select_related("user", "user__organisation")
