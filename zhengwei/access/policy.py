"""The one place that answers "may this person do this action on this object".

Every view, API, command and task asks ``may``/``require``. Rules are data (ACTION_ROLES) so that
the permission-matrix test can enumerate them, and later issues add actions here, not elsewhere.

Scoping: a role is held on one WeChat account (RoleGrant). An object is in scope when it belongs
to an account the person holds the role on (see ``account_of``). Citizens' personal data is never
shown to contractor staff, whatever role they hold (the delegated model's central promise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwei.orgs.models import (
    Organisation,
    OrgKind,
    Role,
    RoleGrant,
    RoleRule,
    User,
    WeChatAccount,
)

# The role sets are defined with the roles; apps read them from the policy.
from zhengwei.orgs.roles import DUTY_ROLES as DUTY_ROLES
from zhengwei.orgs.roles import OFFICE_ROLES as OFFICE_ROLES


class Action(models.TextChoices):
    CONSOLE_VIEW = "console.view", _("Use the console")
    ORG_MANAGE = "org.manage", _("Manage organisations")
    ACCOUNT_VIEW = "account.view", _("View WeChat accounts")
    ACCOUNT_MANAGE = "account.manage", _("Manage WeChat accounts")
    PEOPLE_VIEW = "people.view", _("View people and roles")
    PEOPLE_MANAGE = "people.manage", _("Manage people and roles")
    ROSTER_VIEW = "roster.view", _("View duty rosters")
    ROSTER_MANAGE = "roster.manage", _("Manage duty rosters")
    AUDIT_VIEW = "audit.view", _("Search the audit log")
    AUDIT_EXPORT = "audit.export", _("Export the audit log")
    RETENTION_VIEW = "retention.view", _("Read the reports of personal-data purges")
    PERSONAL_DATA_VIEW = "personal_data.view", _("See citizens' personal data")
    OTP_ENROL = "otp.enrol", _("Set up two-factor sign-in")


EVERY_ROLE = set(Role)

ACTION_ROLES: dict[str, set[str]] = {
    Action.CONSOLE_VIEW: EVERY_ROLE,
    Action.ORG_MANAGE: {Role.SYSTEM_ADMIN},
    Action.ACCOUNT_VIEW: EVERY_ROLE - {Role.UNIT_OFFICER},
    Action.ACCOUNT_MANAGE: {Role.SYSTEM_ADMIN},
    Action.PEOPLE_VIEW: {
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDITOR,
        Role.OFFICE_LEADER,
        Role.PROJECT_MANAGER,
    },
    Action.PEOPLE_MANAGE: {Role.SYSTEM_ADMIN},
    Action.ROSTER_VIEW: {
        Role.SYSTEM_ADMIN,
        Role.AUDITOR,
        Role.OFFICE_LEADER,
        Role.DUTY_LEADER,
        Role.DUTY_OFFICER,
        Role.UNIT_OFFICER,
    },
    Action.ROSTER_MANAGE: {Role.SYSTEM_ADMIN, Role.DUTY_LEADER},
    # 三员分立: the audit administrator alone reads the audit log (the system administrator's
    # own actions are in it).
    Action.AUDIT_VIEW: {Role.AUDITOR},
    Action.AUDIT_EXPORT: {Role.AUDITOR},
    # The security administrator checks the retention policy is applied; the auditor checks it.
    Action.RETENTION_VIEW: {Role.SECURITY_ADMIN, Role.AUDITOR},
    Action.PERSONAL_DATA_VIEW: {
        Role.OFFICE_LEADER,
        Role.DUTY_LEADER,
        Role.DUTY_OFFICER,
        Role.UNIT_OFFICER,
    },
    Action.OTP_ENROL: EVERY_ROLE,
}

# Actions whose objects carry citizens' personal data: contractor members never get them.
PERSONAL_DATA_ACTIONS: set[str] = {Action.PERSONAL_DATA_VIEW}


def register(action: str, roles: Iterable[str], *, personal_data: bool = False) -> None:
    """Let a domain app add its actions (called at import time of the app's policy module)."""
    ACTION_ROLES[action] = set(roles)
    if personal_data:
        PERSONAL_DATA_ACTIONS.add(action)


def account_of(obj: object) -> WeChatAccount | None:
    if obj is None:
        return None
    if isinstance(obj, WeChatAccount):
        return obj
    account = getattr(obj, "account", None)
    if isinstance(account, WeChatAccount):
        return account
    return None


def _grants(user: User) -> list[RoleGrant]:
    """The person's grants in force: on active accounts, and only those the account's current
    operation model allows their side to hold (RoleRule) — whatever the table holds, a grant
    left over from another model (a contractor's 运营 on an account now run independently, an
    office reviewer's 运营 after it is delegated again) gives nothing."""
    # Cached on the user object, which lives for one request or task: never across processes.
    cached = getattr(user, "_zw_grants", None)
    if cached is None:
        rows = list(
            RoleGrant.objects.filter(user=user, account__is_active=True).select_related("account")
        )
        kind = user.org_kind
        allowed = allowed_rules({g.account.operation_model for g in rows}) if rows else set()
        cached = [g for g in rows if (g.account.operation_model, g.role, kind) in allowed]
        user._zw_grants = cached
    return cached


def allowed_rules(models_: set[str]) -> set[tuple[str, str, str]]:
    """The (operation model, role, organisation kind) triples RoleRule allows, for these models."""
    return set(
        RoleRule.objects.filter(operation_model__in=models_).values_list(
            "operation_model", "role", "org_kind"
        )
    )


def grant_in_force(grant: RoleGrant, org_kind: str | None) -> bool:
    """Whether the account's current operation model lets this grant count."""
    return RoleRule.objects.filter(
        operation_model=grant.account.operation_model, role=grant.role, org_kind=org_kind or ""
    ).exists()


def decided(user, key: tuple, decide: Callable[[], bool]) -> bool:
    """A scope decision about ``user``, made once per request or task: kept on the user object
    beside the cached grants (and forgotten with them, ``forget``), so a page that asks the same
    question for every button asks the database once."""
    if not isinstance(user, User):
        return decide()
    memo = user.__dict__.setdefault("_zw_decisions", {})
    if key not in memo:
        memo[key] = decide()
    return memo[key]


def forget(user) -> None:
    """Drop the per-request caches of ``user``'s grants and decisions (after their roles change)."""
    user.__dict__.pop("_zw_grants", None)
    user.__dict__.pop("_zw_decisions", None)


def roles_of(user, account: WeChatAccount | None = None) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {g.role for g in _grants(user) if account is None or g.account_id == account.pk}


def accounts_of(user) -> list[WeChatAccount]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    seen: dict[int, WeChatAccount] = {}
    for grant in _grants(user):
        seen.setdefault(grant.account_id, grant.account)
    return list(seen.values())


def accounts_for(user, action: str) -> list[WeChatAccount]:
    """The active accounts on which ``user`` may do ``action``: the one list every page's account
    picker and every account-scoped selector starts from. Superusers are offered every active
    account (``may`` lets them act on any, except on personal data, which ``may`` still refuses
    without a role)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        candidates = list(WeChatAccount.objects.filter(is_active=True))
    else:
        candidates = accounts_of(user)
    return [a for a in candidates if may(user, action, a)]


def account_for(user, action: str, pk: str | int | None) -> WeChatAccount:
    """The account chosen by ``?account=`` among those ``accounts_for`` offers (the first when
    none is chosen); PermissionDenied when there is none or it is not among them."""
    return account_chosen(accounts_for(user, action), pk)


def account_chosen(accounts: list[WeChatAccount], pk: str | int | None) -> WeChatAccount:
    """The account ``pk`` names among ``accounts`` (those a page lets the person work on), the
    first when none is named; PermissionDenied when there is none or it is not among them."""
    if not accounts:
        raise PermissionDenied
    if pk in (None, ""):
        return accounts[0]
    for account in accounts:
        if str(account.pk) == str(pk):
            return account
    raise PermissionDenied


def roles_summary(user) -> str:
    labels = sorted({Role(r).label for r in roles_of(user)}, key=str)
    return "、".join(str(label) for label in labels)


def visible_organisation_ids(user: User) -> set[int]:
    """The organisations a person works with: the parties of their accounts and their own."""
    ids: set[int] = set()
    for account in accounts_of(user):
        ids.update(o.pk for o in account.organisations())
    if user.organisation_id:
        ids.add(user.organisation_id)
    return ids


def _org_in_scope(user: User, obj: object) -> bool:
    """Organisation-level objects: the person's own office tree or an account's parties."""
    if not isinstance(obj, Organisation):
        return True
    for account in accounts_of(user):
        if obj.pk in {o.pk for o in account.organisations()}:
            return True
    return False


def may(user, action: str, obj: object = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = ACTION_ROLES.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: register it in the policy")
    if action in PERSONAL_DATA_ACTIONS and user.org_kind == OrgKind.CONTRACTOR:
        return False
    if user.is_superuser and action not in PERSONAL_DATA_ACTIONS:
        return True
    account = account_of(obj)
    if not roles_of(user, account) & allowed:
        return False
    return _org_in_scope(user, obj)


def denied() -> PermissionDenied:
    """The refusal every service raises (one wording)."""
    return PermissionDenied(_("You do not have permission for this action."))


def require(user, action: str, obj: object = None) -> None:
    if not may(user, action, obj):
        raise denied()
