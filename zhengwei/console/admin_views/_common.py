from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def paginate(request, items, per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
