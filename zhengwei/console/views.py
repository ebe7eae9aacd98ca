from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import Action, accounts_of, require, roles_of
from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import audit_record
from zhengwei.console.navigation import items_for
from zhengwei.notify import selectors as notify
from zhengwei.orgs.models import Role
from zhengwei.orgs.selectors import on_duty


@login_required
def home(request):
    """What this person can do, on which accounts, and who is on duty now."""
    user = request.user
    if not user.is_superuser:
        require(user, Action.CONSOLE_VIEW)
    accounts = [
        {"account": a, "roles": sorted(Role(r).label for r in roles_of(user, a))}
        for a in accounts_of(user)
    ]
    duty = []
    if user.organisation_id:
        duty = on_duty(organisation=user.organisation)
    recent = AuditEntry.objects.filter(actor=user)[:8]
    unread = notify.notifications_for(user=user, unread_only=True)[:8]
    return render(
        request,
        "console/home.html",
        {
            "capabilities": items_for(user),
            "accounts": accounts,
            "duty": duty,
            "recent": recent,
            "unread_notifications": unread,
            "now": timezone.now(),
        },
    )


def _error(request, status: int, title: str, text: str, action: str):
    user = getattr(request, "user", None)
    audit_record(
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type="http",
        object_repr=request.path[:200],
        outcome="denied",
    )
    return render(
        request, "error.html", {"status": status, "title": title, "text": text}, status=status
    )


def csrf_failure(request, reason: str = ""):
    return _error(
        request,
        403,
        _("The form has expired"),
        _(
            "For your safety the form was not accepted (the security token is missing or "
            "wrong). Go back, reload the page and submit again."
        ),
        "http.csrf_rejected",
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("No permission"),
        _(
            "Your roles do not allow this page or action. Ask your system administrator "
            "if you need it."
        ),
        "http.forbidden",
    )


def favicon(request):
    """Browsers ask for /favicon.ico by themselves (pages link the SVG): no 404, no audit row.
    Resolved per request, so the hashed static name exists (after collectstatic)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# Addresses browsers and crawlers ask for by themselves: a 404 there is noise, not an event.
UNAUDITED_NOT_FOUND = ("/favicon.ico", "/robots.txt", "/apple-touch-icon", "/.well-known/")


def not_found(request, exception=None):
    if request.path.startswith(UNAUDITED_NOT_FOUND):
        return render(
            request,
            "error.html",
            {"status": 404, "title": _("Page not found"), "text": ""},
            status=404,
        )
    return _error(
        request,
        404,
        _("Page not found"),
        _("The address does not exist or has moved. Use the menu to find your way."),
        "http.not_found",
    )


def server_error(request):
    return render(
        request,
        "error.html",
        {
            "status": 500,
            "title": _("Something went wrong"),
            "text": _(
                "The error has been logged. Try again; if it keeps happening, tell the "
                "system administrator the time it happened."
            ),
        },
        status=500,
    )
