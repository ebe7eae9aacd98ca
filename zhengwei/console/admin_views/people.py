from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhengwei.access import services as access_services
from zhengwei.access.policy import Action, grant_in_force, may, require
from zhengwei.access.services import otp_required, signin_locked
from zhengwei.console.admin_views._common import paginate, submit
from zhengwei.console.forms import (
    PERSON_FIELDS,
    GrantForm,
    PersonCreateForm,
    PersonForm,
    add_service_errors,
    detached,
    model_data,
)
from zhengwei.orgs import selectors, services
from zhengwei.orgs.models import Role


def _manageable_orgs(user):
    return selectors.organisations_where(user=user, action=Action.PEOPLE_MANAGE)


@login_required
def person_list(request):
    user = request.user
    require(user, Action.PEOPLE_VIEW)
    search = request.GET.get("q", "").strip()
    people = selectors.people_list(user=user, search=search)
    if not user.is_superuser:
        people = people.exclude(is_superuser=True)
    page = paginate(request, people)
    context = {
        "page": page,
        "q": search,
        "can_manage": may(user, Action.PEOPLE_MANAGE),
    }
    if request.htmx:
        return render(request, "console/people/_table.html", context)
    return render(request, "console/people/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    require(user, Action.PEOPLE_MANAGE)
    form = PersonCreateForm(request.POST or None, organisation_choices=_manageable_orgs(user))

    def save():
        person = services.user_create(
            actor=user,
            password=form.cleaned_data["password1"],
            **model_data(form, PERSON_FIELDS),
        )
        messages.success(
            request,
            _("%(name)s can now sign in as “%(username)s”. Grant a role next.")
            % {"name": person, "username": person.username},
        )
        return redirect("console:person_detail", pk=person.pk)

    return submit(request, form, save) or render(
        request,
        "console/people/form.html",
        {"form": form, "title": _("New person"), "person": None},
    )


@login_required
def person_detail(request, pk: int):
    user = request.user
    person = selectors.person_get(user=user, pk=pk, action=Action.PEOPLE_VIEW)
    return _detail(request, person)


def _detail(request, person, grant_form=None, status=200):
    user = request.user
    can_manage = may(user, Action.PEOPLE_MANAGE, person.organisation)
    accounts = selectors.accounts_for_grant(user=user, person=person) if can_manage else []
    if grant_form is None and accounts:
        grant_form = GrantForm(accounts=accounts, initial={"account": accounts[0]})
    if grant_form is not None:
        # Changing the account shows which roles that account's model allows this person.
        grant_form.fields["account"].widget.attrs.update(
            {
                "hx-get": reverse("console:person_grant_roles", args=[person.pk]),
                "hx-target": "#allowed-roles",
                "hx-swap": "outerHTML",
            }
        )
    grants = [
        {
            "grant": g,
            "revocable": may(user, Action.PEOPLE_MANAGE, g.account),
            "in_force": grant_in_force(g, person.org_kind),
        }
        for g in selectors.person_grants(person=person)
    ]
    selected = _selected_account(grant_form, accounts)
    return render(
        request,
        "console/people/detail.html",
        {
            "person": person,
            "grants": grants,
            "can_manage": can_manage,
            "grant_form": grant_form,
            "allowed_roles": _allowed_labels(selected, person),
            "otp_on": can_manage and otp_required(person),
            "locked": can_manage and signin_locked(person),
        },
        status=status,
    )


def _selected_account(form, accounts):
    if form is None or not accounts:
        return None
    raw = form.data.get("account") if form.is_bound else None
    if raw is None:
        raw = form.initial.get("account")
        raw = getattr(raw, "pk", raw)
    return next((a for a in accounts if str(a.pk) == str(raw)), accounts[0])


def _allowed_labels(account, person) -> list[str]:
    if account is None or person.organisation_id is None:
        return []
    allowed = set(selectors.grantable_roles(account=account, organisation=person.organisation))
    return [str(r.label) for r in Role if r in allowed]


@login_required
def person_grant_roles(request, pk: int):
    """HTMX: the roles allowed on the chosen account, shown next to the grant form."""
    user = request.user
    person = selectors.person_get(user=user, pk=pk, action=Action.PEOPLE_MANAGE)
    accounts = selectors.accounts_for_grant(user=user, person=person)
    form = GrantForm(request.GET, accounts=accounts)
    return render(
        request,
        "console/people/_allowed_roles.html",
        {"allowed_roles": _allowed_labels(_selected_account(form, accounts), person)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    user = request.user
    person = selectors.person_get(user=user, pk=pk, action=Action.PEOPLE_MANAGE)
    orgs = _manageable_orgs(user)
    form = PersonForm(request.POST or None, instance=detached(person), organisation_choices=orgs)

    def save():
        services.user_update(actor=user, user=person, **model_data(form, PERSON_FIELDS))
        messages.success(request, _("%(name)s saved.") % {"name": person})
        return redirect("console:person_detail", pk=person.pk)

    return submit(request, form, save) or render(
        request,
        "console/people/form.html",
        {"form": form, "title": _("Edit person"), "person": person},
    )


@login_required
@require_POST
def person_set_active(request, pk: int):
    user = request.user
    person = selectors.person_get(user=user, pk=pk, action=Action.PEOPLE_MANAGE)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=user, user=person, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": person})
        else:
            messages.success(
                request,
                _("%(name)s is deactivated and can no longer sign in.") % {"name": person},
            )
    return redirect("console:person_detail", pk=person.pk)


@login_required
@require_POST
def person_grant(request, pk: int):
    user = request.user
    person = selectors.person_get(user=user, pk=pk, action=Action.PEOPLE_MANAGE)
    accounts = selectors.accounts_for_grant(user=user, person=person)
    form = GrantForm(request.POST, accounts=accounts)
    if form.is_valid():
        account, role = form.cleaned_data["account"], form.cleaned_data["role"]
        try:
            services.role_grant(actor=user, user=person, account=account, role=role)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now holds %(role)s on %(account)s.")
                % {"name": person, "role": Role(role).label, "account": account},
            )
            return redirect("console:person_detail", pk=person.pk)
    return _detail(request, person, grant_form=form)


@login_required
@require_POST
def grant_revoke(request, pk: int):
    user = request.user
    grant = selectors.grant_get(user=user, pk=pk)
    person = grant.user
    services.role_revoke(actor=user, grant=grant)
    messages.success(
        request,
        _("%(name)s no longer holds %(role)s on %(account)s.")
        % {"name": person, "role": grant.get_role_display(), "account": grant.account},
    )
    return redirect("console:person_detail", pk=person.pk)


@login_required
@require_POST
def person_security(request, pk: int):
    """Administrator help with sign-in: temporary password, lost authenticator, lock-out."""
    user = request.user
    person = selectors.person_get(user=user, pk=pk, action=Action.PEOPLE_MANAGE)
    what = request.POST.get("what")
    try:
        if what == "password":
            services.user_set_password(
                actor=user, user=person, password=request.POST.get("password", "")
            )
            messages.success(request, _("A new password is set; give it to the person in person."))
        elif what == "otp":
            access_services.otp_device_reset(actor=user, user=person)
            messages.success(request, _("Two-factor sign-in is removed; they can enrol again."))
        elif what == "unlock":
            access_services.signin_unlock(actor=user, user=person)
            messages.success(request, _("The sign-in lock is lifted."))
        else:
            messages.error(request, _("Unknown request."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("console:person_detail", pk=person.pk)
