from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpResponse

from zhengwei.console.forms import add_service_errors

PER_PAGE = 25


def paginate(request, items, per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def submit(request, form: BaseForm, save: Callable[[], HttpResponse]) -> HttpResponse | None:
    """A valid POST of ``form``: ``save()`` calls the service and answers (a redirect). A
    ValidationError from the service goes onto the form and None comes back, so that the view
    shows the form again; None too for a GET or an invalid form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
