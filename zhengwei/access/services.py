"""Two-factor enrolment and password changes for the signed-in person."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwei.access.policy import Action, require
from zhengwei.audit.services import audit_record
from zhengwei.orgs.models import User


def otp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose QR code the person scans (created once, reused on reload)."""
    require(user, Action.OTP_ENROL)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, token: str) -> bool:
    require(user, Action.OTP_ENROL)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        audit_record(actor=user, action="auth.otp_enrol_failed", obj=user, outcome="denied")
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="auth.otp_enrolled", obj=user)
    return True


@transaction.atomic
def otp_device_remove(*, user: User) -> None:
    require(user, Action.OTP_ENROL)
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="auth.otp_removed", obj=user)


def otp_required(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def otp_device_reset(*, actor: User, user: User) -> None:
    """An administrator removes someone's authenticator (a lost phone) so they can enrol again."""
    require(actor, Action.PEOPLE_MANAGE, user.organisation)
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="auth.otp_reset", obj=user)


def signin_locked(user: User) -> bool:
    return AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


@transaction.atomic
def signin_unlock(*, actor: User, user: User) -> int:
    """Lift a sign-in lock-out before the cool-off ends (the person called the administrator)."""
    require(actor, Action.PEOPLE_MANAGE, user.organisation)

    count = reset(username=user.get_username())
    audit_record(actor=actor, action="auth.unlock", obj=user, note=f"attempts cleared: {count}")
    return count
