"""Reads of organisations, accounts, people and rosters, with permissions applied."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhengwei.access.policy import (
    ACTION_ROLES,
    PERSONAL_DATA_ACTIONS,
    Action,
    accounts_of,
    may,
    visible_organisation_ids,
)
from zhengwei.orgs.models import (
    DutyShift,
    OperationModel,
    Organisation,
    OrgKind,
    Role,
    RoleGrant,
    RoleRule,
    User,
    WeChatAccount,
)


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("parent")
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=visible_organisation_ids(user))


def account_list(*, user: User) -> QuerySet[WeChatAccount]:
    qs = WeChatAccount.objects.select_related("office", "contractor")
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=[a.pk for a in accounts_of(user) if may(user, Action.ACCOUNT_VIEW, a)])


def account_get(*, user: User, pk: int, action: str = Action.ACCOUNT_VIEW) -> WeChatAccount:
    account = get_object_or_404(WeChatAccount.objects.select_related("office", "contractor"), pk=pk)
    if not may(user, action, account):
        raise PermissionDenied
    return account


def people_list(*, user: User, search: str = "") -> QuerySet[User]:
    qs = User.objects.select_related("organisation").prefetch_related("grants__account")
    if not user.is_superuser:
        qs = qs.filter(organisation_id__in=visible_organisation_ids(user))
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
        qs = qs.filter(organisation_id__in=visible_organisation_ids(user))
    return qs.order_by("organisation__kind", "organisation__name", "starts_at", "post")


def on_duty(*, organisation: Organisation, at: datetime | None = None) -> list[DutyShift]:
    """Who answers now for an organisation, A post first (used for routing; no permission check)."""
    at = at or timezone.now()
    return list(
        DutyShift.objects.select_related("user")
        .filter(organisation=organisation, starts_at__lte=at, ends_at__gt=at, user__is_active=True)
        .order_by("post", "starts_at")
    )


def escalation_targets(*, account: WeChatAccount, level: int, at: datetime) -> list[int]:
    """Whom an escalation to ``level`` alerts (user ids): at level 1 the duty leaders on duty (all
    duty leaders when none is rostered), above it the office leaders (no permission check)."""
    role = Role.DUTY_LEADER if level <= 1 else Role.OFFICE_LEADER
    holders = set(
        RoleGrant.objects.filter(account=account, role=role, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if role == Role.DUTY_LEADER:
        rostered = {s.user_id for s in on_duty(organisation=account.office, at=at)} & holders
        if rostered:
            return sorted(rostered)
    return sorted(holders)


def grants_for(*, account: WeChatAccount) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(account=account).select_related("user", "user__organisation")


# --- Console management pages -------------------------------------------------------------


def _unclaimed_organisations() -> QuerySet[Organisation]:
    """Organisations no account refers to yet (a new office or contractor before its account)."""
    return Organisation.objects.filter(
        kind__in=["office", "contractor"], accounts__isnull=True, operated_accounts__isnull=True
    )


def organisation_admin_list(
    *, user: User, kind: str = "", search: str = ""
) -> QuerySet[Organisation]:
    """What the organisations page lists: the visible ones, plus those no account uses yet."""
    qs = Organisation.objects.select_related("parent")
    if not user.is_superuser:
        unclaimed = _unclaimed_organisations().values_list("pk", flat=True)
        qs = qs.filter(Q(pk__in=visible_organisation_ids(user)) | Q(pk__in=list(unclaimed)))
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(region_name__icontains=search)
            | Q(region_code__startswith=search)
        )
    return qs.order_by("kind", "parent__name", "name").distinct()


def organisation_get(*, user: User, pk: int, action: str = Action.ORG_MANAGE) -> Organisation:
    org = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    if not may(user, action, org):
        raise PermissionDenied
    return org


def organisations_where(
    *, user: User, action: str, kinds: list[str] | None = None
) -> list[Organisation]:
    """Active organisations on which the person may do ``action`` (form choices)."""
    qs = Organisation.objects.filter(is_active=True).select_related("parent")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if not user.is_superuser:
        qs = qs.filter(pk__in=visible_organisation_ids(user))
    return [o for o in qs.order_by("kind", "name") if may(user, action, o)]


def contractor_choices(*, user: User) -> QuerySet[Organisation]:
    """Contractors an administrator may attach to an account: visible or not yet engaged."""
    qs = Organisation.objects.filter(kind="contractor", is_active=True)
    if user.is_superuser:
        return qs
    unclaimed = list(_unclaimed_organisations().values_list("pk", flat=True))
    return qs.filter(Q(pk__in=visible_organisation_ids(user)) | Q(pk__in=unclaimed))


def account_admin_list(*, user: User) -> list[WeChatAccount]:
    return [a for a in account_list(user=user) if may(user, Action.ACCOUNT_MANAGE, a)]


def person_get(*, user: User, pk: int, action: str = Action.PEOPLE_VIEW) -> User:
    """One person, if the viewer may ``action`` on that person's organisation.

    People outside every organisation (the installation's superusers) are for superusers only.
    """
    person = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    if person.organisation_id is None or person.is_superuser:
        if not user.is_superuser:
            raise PermissionDenied
    if not may(user, action, person.organisation) and not _administers_a_grant_of(user, person):
        raise PermissionDenied
    return person


def _administers_a_grant_of(user: User, person: User) -> bool:
    """The administrator of an account sees everyone holding a grant on it (to revoke it), even
    when their organisation is no longer a party the account's model works with."""
    return any(
        may(user, Action.PEOPLE_MANAGE, g.account)
        for g in RoleGrant.objects.filter(user=person).select_related("account")
    )


def person_grants(*, person: User) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=person).select_related("account", "granted_by")


def accounts_for_grant(*, user: User, person: User) -> list[WeChatAccount]:
    """Accounts on which ``user`` may grant roles and to which the person's organisation is party."""
    if person.organisation_id is None:
        return []
    qs = WeChatAccount.objects.select_related("office", "contractor").filter(is_active=True)
    if not user.is_superuser:
        qs = qs.filter(pk__in=[a.pk for a in accounts_of(user)])
    return [
        a
        for a in qs
        if may(user, Action.PEOPLE_MANAGE, a)
        and person.organisation_id in {o.pk for o in a.organisations()}
    ]


def grant_get(*, user: User, pk: int) -> RoleGrant:
    grant = get_object_or_404(RoleGrant.objects.select_related("user", "account"), pk=pk)
    if not may(user, Action.PEOPLE_MANAGE, grant.account):
        raise PermissionDenied
    return grant


def roster_organisations(*, user: User) -> QuerySet[Organisation]:
    """The organisations that keep a duty roster (office and units) the person may see."""
    qs = Organisation.objects.filter(kind__in=["office", "unit"], is_active=True)
    if not user.is_superuser:
        qs = qs.filter(pk__in=visible_organisation_ids(user))
    return qs.select_related("parent").order_by("kind", "name")


def shift_get(*, user: User, pk: int, action: str = Action.ROSTER_MANAGE) -> DutyShift:
    shift = get_object_or_404(DutyShift.objects.select_related("organisation", "user"), pk=pk)
    if not may(user, action, shift.organisation):
        raise PermissionDenied
    return shift


def role_rule_set() -> set[tuple[str, str, str]]:
    """Every (operation model, role, organisation kind) that RoleRule allows."""
    return set(RoleRule.objects.values_list("operation_model", "role", "org_kind"))


# --- before a change of operation model -------------------------------------------------------


def operation_model_preview(*, user: User, account: WeChatAccount, new_model: str) -> dict:
    """What switching ``account`` to ``new_model`` does to who may do what, before it is done:
    the (role, side) pairs the role rules allow or forbid anew, with the actions and personal-data
    actions each carries, and the account's grants that stop or start counting."""
    if not may(user, Action.ACCOUNT_MANAGE, account):
        raise PermissionDenied
    old_model = account.operation_model

    def rules(model: str) -> set[tuple[str, str]]:
        return set(RoleRule.objects.filter(operation_model=model).values_list("role", "org_kind"))

    before, after = rules(old_model), rules(new_model)
    roles = []
    for role, kind in sorted(before ^ after, key=lambda rk: (list(Role).index(rk[0]), rk[1])):
        actions = sorted(a for a, holders in ACTION_ROLES.items() if role in holders)
        # A contractor member never passes a personal-data action, whatever role they hold.
        personal = (
            [] if kind == OrgKind.CONTRACTOR else [a for a in actions if a in PERSONAL_DATA_ACTIONS]
        )
        roles.append(
            {
                "role": role,
                "role_label": Role(role).label,
                "side": OrgKind(kind).label,
                "gained": (role, kind) in after,
                "actions": actions,
                "personal": personal,
            }
        )
    grants = []
    for g in RoleGrant.objects.filter(account=account).select_related("user", "user__organisation"):
        pair = (g.role, g.user.org_kind)
        if (pair in before) != (pair in after):
            grants.append({"grant": g, "role_label": Role(g.role).label, "counts": pair in after})
    grants.sort(key=lambda x: (x["counts"], x["grant"].user.username))
    return {
        "old_model": OperationModel(old_model).label,
        "new_model": OperationModel(new_model).label,
        "roles": roles,
        "grants": grants,
    }
