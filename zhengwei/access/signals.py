"""Every sign-in, sign-out and failure is audited."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhengwei.audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.sign_in", obj=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.sign_out", obj=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Record the name that was typed, never whether such a person exists.
    audit_record(
        action="auth.sign_in_failed",
        actor_name=str(credentials.get("username", ""))[:150],
        object_type="auth",
        outcome="denied",
    )
