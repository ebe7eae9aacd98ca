"""Every change to organisations, accounts, people, roles and rosters goes through here.

Each function checks the policy, runs in one transaction, writes the audit entry and publishes
its event on commit. Views, admin actions, commands and tasks all call these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwei.access.policy import Action, denied, forget, require
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import (
    DutyShift,
    Organisation,
    Role,
    RoleGrant,
    RoleRule,
    User,
    WeChatAccount,
)
from zhengwei.orgs.roles import SEPARATED_ADMIN_ROLES

ORG_FIELDS = [
    "name",
    "short_name",
    "kind",
    "parent",
    "region_code",
    "region_name",
    "credit_code",
    "contact_phone",
    "is_active",
]
ACCOUNT_FIELDS = [
    "office",
    "contractor",
    "name",
    "original_id",
    "app_id",
    "token",
    "encoding_aes_key",
    "message_mode",
    "account_type",
    "verified",
    "operation_model",
    "is_active",
]
USER_FIELDS = ["username", "display_name", "organisation", "phone", "title", "email", "is_active"]


def _guard_superuser(actor: User, user: User) -> None:
    """Only a superuser changes a superuser (the installation's own accounts)."""
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("You do not have permission for this action."))


def _apply(obj, data: dict[str, Any], allowed: list[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    for key, value in data.items():
        setattr(obj, key, value)


@transaction.atomic
def organisation_create(*, actor: User, **data: Any) -> Organisation:
    require(actor, Action.ORG_MANAGE, data.get("parent"))
    org = Organisation()
    _apply(org, data, ORG_FIELDS)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action="organisation.create", obj=org, after=snapshot(org))
    publish_on_commit("organisation.created", organisation_id=org.pk)
    return org


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **data: Any) -> Organisation:
    require(actor, Action.ORG_MANAGE, organisation)
    before = snapshot(organisation)
    _apply(organisation, data, ORG_FIELDS)
    organisation.full_clean()
    organisation.save()
    b, a = diff(before, snapshot(organisation))
    audit_record(actor=actor, action="organisation.update", obj=organisation, before=b, after=a)
    publish_on_commit("organisation.updated", organisation_id=organisation.pk)
    return organisation


@transaction.atomic
def account_create(*, actor: User, app_secret: str = "", **data: Any) -> WeChatAccount:
    require(actor, Action.ORG_MANAGE, data.get("office"))
    account = WeChatAccount()
    _apply(account, data, ACCOUNT_FIELDS)
    if app_secret:
        account.set_app_secret(app_secret)
    account.full_clean()
    account.save()
    audit_record(actor=actor, action="account.create", obj=account, after=snapshot(account))
    if not actor.is_superuser:
        _grant_creator(actor, account)
    publish_on_commit("account.created", account_id=account.pk)
    return account


def _grant_creator(actor: User, account: WeChatAccount) -> None:
    """Whoever registers an account administers it; otherwise it would vanish from their console.

    Only where the role rules let the creator's side hold the system administrator role.
    """
    if actor.organisation_id not in {o.pk for o in account.organisations()}:
        return
    if not RoleRule.objects.filter(
        operation_model=account.operation_model,
        role=Role.SYSTEM_ADMIN,
        org_kind=actor.organisation.kind,
    ).exists():
        return
    _grant, created = RoleGrant.objects.get_or_create(
        user=actor, account=account, role=Role.SYSTEM_ADMIN, defaults={"granted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="role.grant",
            obj=actor,
            after={"account": account.original_id, "role": str(Role.SYSTEM_ADMIN)},
            note=_("Granted to the person who registered the account"),
        )
        publish_on_commit(
            "role.granted", user_id=actor.pk, account_id=account.pk, role=Role.SYSTEM_ADMIN
        )
    forget(actor)  # the policy's per-request cache of grants and decisions


@transaction.atomic
def account_update(
    *,
    actor: User,
    account: WeChatAccount,
    app_secret: str = "",
    confirm_model: str = "",
    **data: Any,
) -> WeChatAccount:
    """Save the account. A change of operation model changes who may do what (role rules): it
    happens only when ``confirm_model`` names the new model, i.e. after its preview was shown
    (``selectors.operation_model_preview``)."""
    require(actor, Action.ACCOUNT_MANAGE, account)
    before = snapshot(account)
    old_model = account.operation_model
    new_model = data.get("operation_model", old_model)
    if new_model != old_model and confirm_model != new_model:
        raise ValidationError(
            {
                "operation_model": [
                    _("Review what the change of operation model does, then confirm it.")
                ]
            }
        )
    _apply(account, data, ACCOUNT_FIELDS)
    if app_secret:
        account.set_app_secret(app_secret)
    account.full_clean()
    account.save()
    b, a = diff(before, snapshot(account))
    note = _("AppSecret replaced") if app_secret else ""
    audit_record(actor=actor, action="account.update", obj=account, before=b, after=a, note=note)
    if account.operation_model != old_model:
        _suspend_forbidden(actor, account)
    publish_on_commit("account.updated", account_id=account.pk)
    return account


def grants_forbidden(*, account: WeChatAccount, operation_model: str) -> list[RoleGrant]:
    """The account's grants that ``operation_model`` does not let their holders' side hold."""
    allowed = set(
        RoleRule.objects.filter(operation_model=operation_model).values_list("role", "org_kind")
    )
    return [
        g
        for g in RoleGrant.objects.filter(account=account).select_related(
            "user", "user__organisation"
        )
        if (g.role, g.user.org_kind) not in allowed
    ]


def _suspend_forbidden(actor: User, account: WeChatAccount) -> None:
    """After a change of operation model: the grants it forbids stop counting (the policy ignores
    them) and each is recorded as suspended; the administrator sees them marked on the person's
    page and revokes them there. They count again if the account returns to a model that allows
    them."""
    for grant in grants_forbidden(account=account, operation_model=account.operation_model):
        audit_record(
            actor=actor,
            action="role.suspend",
            obj=grant.user,
            after={"account": account.original_id, "role": str(grant.role)},
            note=_("Not allowed under %(model)s")
            % {"model": account.get_operation_model_display()},
        )
        forget(grant.user)


@transaction.atomic
def user_create(*, actor: User, password: str, **data: Any) -> User:
    require(actor, Action.PEOPLE_MANAGE, data.get("organisation"))

    user = User()
    _apply(user, data, USER_FIELDS)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, after=snapshot(user, USER_FIELDS))
    publish_on_commit("user.created", user_id=user.pk)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **data: Any) -> User:
    require(actor, Action.PEOPLE_MANAGE, user.organisation)
    _guard_superuser(actor, user)
    before = snapshot(user, USER_FIELDS)
    _apply(user, data, USER_FIELDS)
    user.full_clean()
    user.save()
    b, a = diff(before, snapshot(user, USER_FIELDS))
    audit_record(actor=actor, action="user.update", obj=user, before=b, after=a)
    publish_on_commit("user.updated", user_id=user.pk)
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    if actor.pk != user.pk:
        require(actor, Action.PEOPLE_MANAGE, user.organisation)
        _guard_superuser(actor, user)

    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.set_password", obj=user)
    return user


@transaction.atomic
def user_set_language(*, actor: User, user: User, language: str) -> User:
    """The interface language a person chose for themselves ("" for the office's language);
    activated on every request once they are signed in (zhengwei/lib/locale.py)."""
    if actor.pk != user.pk:
        raise denied()
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    if user.language == language:
        return user
    before = user.language
    user.language = language
    user.save(update_fields=["language"])
    audit_record(
        actor=actor,
        action="user.set_language",
        obj=user,
        before={"language": before},
        after={"language": language},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (sign-in refused, off every duty lookup) or reactivate a person."""
    require(actor, Action.PEOPLE_MANAGE, user.organisation)
    _guard_superuser(actor, user)
    if not active and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.reactivate" if active else "user.deactivate",
        obj=user,
        before={"is_active": not active},
        after={"is_active": active},
    )
    publish_on_commit("user.updated", user_id=user.pk)
    return user


@transaction.atomic
def role_grant(*, actor: User, user: User, account: WeChatAccount, role: str) -> RoleGrant:
    require(actor, Action.PEOPLE_MANAGE, account)
    if user.organisation_id is None:
        raise ValidationError(_("The person belongs to no organisation."))
    if user.organisation_id not in {o.pk for o in account.organisations()}:
        raise ValidationError(
            _("%(org)s is not a party to account %(account)s.")
            % {"org": user.organisation, "account": account}
        )
    if not RoleRule.objects.filter(
        operation_model=account.operation_model, role=role, org_kind=user.organisation.kind
    ).exists():
        raise ValidationError(
            _("Under the %(model)s model, members of a %(kind)s may not hold the role %(role)s.")
            % {
                "model": account.get_operation_model_display(),
                "kind": user.organisation.get_kind_display(),
                "role": Role(role).label if role in Role.values else role,
            }
        )
    if role in SEPARATED_ADMIN_ROLES:
        held = sorted(
            set(
                RoleGrant.objects.filter(user=user, role__in=SEPARATED_ADMIN_ROLES)
                .exclude(role=role)
                .values_list("role", flat=True)
            )
        )
        if held:
            raise ValidationError(
                _(
                    "Separation of duties: %(person)s already holds %(held)s and cannot also be "
                    "%(role)s. The system, security and audit administrators must be three "
                    "different people."
                )
                % {
                    "person": user,
                    "held": "、".join(str(Role(r).label) for r in held),
                    "role": Role(role).label,
                }
            )
    grant, created = RoleGrant.objects.get_or_create(
        user=user, account=account, role=role, defaults={"granted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="role.grant",
            obj=user,
            after={"account": account.original_id, "role": role},
        )
        publish_on_commit("role.granted", user_id=user.pk, account_id=account.pk, role=role)
    return grant


@transaction.atomic
def role_revoke(*, actor: User, grant: RoleGrant) -> None:
    require(actor, Action.PEOPLE_MANAGE, grant.account)
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=grant.user,
        before={"account": grant.account.original_id, "role": grant.role},
    )
    grant.delete()
    publish_on_commit("role.revoked", user_id=grant.user_id, account_id=grant.account_id)


@transaction.atomic
def duty_shift_create(
    *,
    actor: User,
    organisation: Organisation,
    user: User,
    starts_at: datetime,
    ends_at: datetime,
    post: str = "A",
    note: str = "",
) -> DutyShift:
    require(actor, Action.ROSTER_MANAGE, organisation)
    shift = DutyShift(
        organisation=organisation,
        user=user,
        starts_at=starts_at,
        ends_at=ends_at,
        post=post,
        note=note,
    )
    shift.full_clean()
    overlap = DutyShift.objects.filter(
        organisation=organisation, post=post, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if overlap.exists():
        raise ValidationError(
            _("Post %(post)s is already staffed in that period.") % {"post": post}
        )
    shift.save()
    audit_record(actor=actor, action="roster.add", obj=shift, after=snapshot(shift))
    publish_on_commit("roster.changed", organisation_id=organisation.pk)
    return shift


@transaction.atomic
def duty_shift_delete(*, actor: User, shift: DutyShift) -> None:
    require(actor, Action.ROSTER_MANAGE, shift.organisation)
    audit_record(actor=actor, action="roster.remove", obj=shift, before=snapshot(shift))
    shift.delete()
    publish_on_commit("roster.changed", organisation_id=shift.organisation_id)
