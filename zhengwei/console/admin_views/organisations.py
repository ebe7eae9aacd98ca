from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengwei.access.policy import Action, may, require
from zhengwei.console.admin_views._common import paginate, submit
from zhengwei.console.forms import OrganisationForm, detached, model_data
from zhengwei.orgs import selectors, services
from zhengwei.orgs.models import OrgKind


@login_required
def organisation_list(request):
    user = request.user
    require(user, Action.ORG_MANAGE)
    kind = request.GET.get("kind", "")
    kind = kind if kind in OrgKind.values else ""
    search = request.GET.get("q", "").strip()
    orgs = selectors.organisation_admin_list(user=user, kind=kind, search=search).annotate(
        member_count=Count("members", distinct=True)
    )
    page = paginate(request, orgs)
    rows = [{"org": o, "editable": may(user, Action.ORG_MANAGE, o)} for o in page]
    return render(
        request,
        "console/organisations/list.html",
        {"page": page, "rows": rows, "kind": kind, "kinds": OrgKind.choices, "q": search},
    )


def _parent_choices(user):
    return selectors.organisations_where(user=user, action=Action.ORG_MANAGE, kinds=["office"])


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    user = request.user
    require(user, Action.ORG_MANAGE)
    form = OrganisationForm(
        request.POST or None, parent_choices=_parent_choices(user), creating=True
    )

    def save():
        org = services.organisation_create(
            actor=user, **model_data(form, OrganisationForm.Meta.fields)
        )
        messages.success(request, _("Organisation “%(name)s” created.") % {"name": org.name})
        return redirect("console:organisation_list")

    return submit(request, form, save) or render(
        request,
        "console/organisations/form.html",
        {"form": form, "title": _("New organisation"), "org": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    user = request.user
    org = selectors.organisation_get(user=user, pk=pk, action=Action.ORG_MANAGE)
    parents = [p for p in _parent_choices(user) if p.pk != org.pk]
    form = OrganisationForm(request.POST or None, instance=detached(org), parent_choices=parents)

    def save():
        services.organisation_update(
            actor=user, organisation=org, **model_data(form, OrganisationForm.Meta.fields)
        )
        messages.success(request, _("Organisation “%(name)s” saved.") % {"name": org.name})
        return redirect("console:organisation_list")

    return submit(request, form, save) or render(
        request,
        "console/organisations/form.html",
        {"form": form, "title": _("Edit organisation"), "org": org},
    )
