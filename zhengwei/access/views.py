from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwei.access import services
from zhengwei.access.forms import OTPForm, SignInForm
from zhengwei.audit.services import audit_record
from zhengwei.orgs.models import User
from zhengwei.orgs.services import user_set_language, user_set_password

_PENDING = "zw_otp_pending"
_PENDING_TRIES = "zw_otp_tries"
OTP_MAX_TRIES = 5


class SignInView(auth_views.LoginView):
    template_name = "access/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if services.otp_required(user):
            # Password checked; the session is only half-authenticated until the code is given.
            self.request.session.cycle_key()
            self.request.session[_PENDING] = [user.pk, user.backend]
            self.request.session[_PENDING_TRIES] = 0

            target = reverse("access:otp")
            next_url = self.get_redirect_url()
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    pending = request.session.get(_PENDING)
    if not pending:
        return redirect("access:login")
    user = User.objects.filter(pk=pending[0], is_active=True).first()
    if user is None:
        request.session.flush()
        return redirect("access:login")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = next(
            (
                d
                for d in TOTPDevice.objects.filter(user=user, confirmed=True)
                if d.verify_token(form.cleaned_data["token"])
            ),
            None,
        )
        if device is not None:
            del request.session[_PENDING]
            user.backend = pending[1]
            login(request, user)
            otp_login(request, device)

            next_url = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = ""
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        tries = request.session.get(_PENDING_TRIES, 0) + 1
        request.session[_PENDING_TRIES] = tries
        audit_record(
            action="auth.otp_failed",
            actor_name=user.get_username(),
            object_type="auth",
            outcome="denied",
        )
        if tries >= OTP_MAX_TRIES:
            request.session.flush()
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("access:login")
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "access/otp_verify.html", {"form": form})


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when a user name is locked: same page, clear message, status 429.

    axes calls ``(request, original_response, credentials)``; the page is the same whether the
    locked name belongs to anybody.
    """
    username = str((credentials or {}).get("username", ""))[:150]
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    message = _(
        "Too many failed attempts: sign-in for this user name is locked for %(minutes)d minutes."
    ) % {"minutes": minutes}
    audit_record(
        action="auth.locked_out",
        object_type="auth",
        outcome="denied",
        actor_name=username,
    )
    form = SignInForm(request, initial={"username": username})
    return render(
        request, "access/sign_in.html", {"form": form, "locked_message": message}, status=429
    )


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """The person's own password and two-factor settings."""
    user = request.user
    has_otp = services.otp_required(user)
    password_form = PasswordChangeForm(
        user, request.POST if "change_password" in request.POST else None
    )
    otp_form = OTPForm(request.POST if "confirm_otp" in request.POST else None)
    if request.method == "POST":
        if "change_password" in request.POST and password_form.is_valid():
            user_set_password(
                actor=user, user=user, password=password_form.cleaned_data["new_password1"]
            )

            update_session_auth_hash(request, user)
            messages.success(request, _("Password changed."))
            return redirect("access:security")
        if "confirm_otp" in request.POST and otp_form.is_valid():
            if services.otp_device_confirm(user=user, token=otp_form.cleaned_data["token"]):
                # The code just given verifies this session too (level 3 lets it continue).
                otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("access:security")
            otp_form.add_error("token", _("The code is wrong or has expired."))
        if "language" in request.POST:
            # Kept in the profile (every device they sign in on) and in the cookie (the sign-in
            # page after they sign out).
            language = request.POST["language"]
            try:
                user_set_language(actor=user, user=user, language=language)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("access:security")
            response = redirect("access:security")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language or settings.LANGUAGE_CODE,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
            return response
        if "remove_otp" in request.POST:
            services.otp_device_remove(user=user)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("access:security")
    qr_svg = ""
    if not has_otp:
        device = services.otp_device_pending(user=user)
        uri = device.config_url
        qr_svg = segno.make(uri, error="m").svg_inline(scale=4)
    return render(
        request,
        "access/security.html",
        {
            "password_form": password_form,
            "otp_form": otp_form,
            "has_otp": has_otp,
            "qr_svg": qr_svg,
            "session_backend": request.session.get(BACKEND_SESSION_KEY),
        },
    )
