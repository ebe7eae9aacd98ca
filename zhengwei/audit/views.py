"""The audit log for auditors: search, read, export. Nothing here changes or removes an entry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from zhengwei.access.policy import Action, may, require
from zhengwei.audit import selectors, services
from zhengwei.audit.forms import AuditFilterForm
from zhengwei.lib import retention

PER_PAGE = 50
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _search(request):
    vocabulary = selectors.audit_vocabulary(user=request.user)
    form = AuditFilterForm(request.GET or None, outcomes=vocabulary["outcomes"])
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        entries = selectors.audit_search(user=request.user).none()
    else:
        entries = selectors.audit_search(user=request.user, **filters)
    return form, filters, entries, vocabulary


@login_required
@require_GET
def audit_list(request):
    require(request.user, Action.AUDIT_VIEW)
    form, filters, entries, vocabulary = _search(request)
    page = Paginator(entries.select_related("actor"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "vocabulary": vocabulary,
            "can_export": may(request.user, Action.AUDIT_EXPORT),
        },
    )


@login_required
@require_GET
def audit_detail(request, pk: int):
    entry = selectors.audit_get(user=request.user, pk=pk)
    return render(request, "audit/detail.html", {"entry": entry})


@login_required
@require_GET
def audit_export(request, fmt: str):
    require(request.user, Action.AUDIT_EXPORT)
    form, filters, entries, _vocabulary = _search(request)
    if form.is_bound and not form.is_valid():
        # Show the search's errors instead of exporting something else than was asked for.
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    content, _count = services.audit_export(
        actor=request.user, entries=entries, filters=filters, fmt=fmt
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response


@login_required
@require_GET
def purge_report(request):
    runs = Paginator(selectors.purge_runs(user=request.user), 100).get_page(request.GET.get("page"))
    labels = {name: data_class.label for name, data_class in retention.REGISTRY.items()}
    for row in runs:
        row.label = labels.get(row.data_class) or pgettext("data class", "No longer kept")
    return render(request, "audit/purges.html", {"page": runs})
