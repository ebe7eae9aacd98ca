"""Level-3 two-factor sign-in (GB/T 22239-2019 8.1.4.1 d): the roles in SECURITY_OTP_ROLES use the
console only with a second factor.

Someone who already has an authenticator is asked for its code at sign-in (views.SignInView);
this middleware catches the rest: a person in one of those roles whose session was not verified
with a code is sent to 我的安全设置 to set one up, and may open nothing else until they have.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengwei.access.policy import roles_of

# Pages a person without a second factor still needs: setting it up, signing out, the language.
ALLOWED_NAMES = ("access:security", "access:logout", "access:login", "access:otp", "set_language")


def needs_second_factor(user) -> bool:
    if not settings.SECURITY_OTP_ROLES or not getattr(user, "is_authenticated", False):
        return False
    if user.is_verified():
        return False
    return bool(roles_of(user) & set(settings.SECURITY_OTP_ROLES))


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not self._allowed(request.path):
            messages.warning(
                request,
                _(
                    "Your role must sign in with two factors (security level %(level)s). Set up "
                    "an authenticator app below to continue."
                )
                % {"level": settings.SECURITY_LEVEL},
            )
            return redirect("access:security")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        # Citizens' pages, the callback and static files have no signed-in person: never here.
        return path in {reverse(name) for name in ALLOWED_NAMES}
