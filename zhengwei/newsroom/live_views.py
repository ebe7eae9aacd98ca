"""The public live page: cheap to serve to many readers at once.

Each response carries an ETag made of the event's id and its last change; a reader's browser
(and any proxy) asks with If-None-Match and gets 304 without a query beyond one indexed row.
The rendered list is kept in the cache under that ETag, so a change anywhere is seen on the next
request by every process (the cache table or Redis is shared), and nothing else is rendered
twice. New entries appear without reload: the page's script polls ``feed/`` the same way.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from zhengwei.newsroom.models import LiveEntry, LiveEntryState, LiveEvent

MAX_AGE = 5


def _event(slug: str) -> tuple[int, str, float]:
    row = LiveEvent.objects.filter(slug=slug).values_list("pk", "title", "changed_at").first()
    if row is None:
        raise Http404
    return row[0], row[1], row[2].timestamp()


def _answer(request, slug: str, template: str):
    pk, _title, changed = _event(slug)
    etag = f'"live-{pk}-{changed:.6f}-{template[-9:-5]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        key = f"newsroom:live:{etag}"
        html = cache.get(key)
        if html is None:
            event = LiveEvent.objects.get(pk=pk)
            entries = list(
                LiveEntry.objects.filter(event=event, state=LiveEntryState.APPROVED)
                .select_related("posted_by")
                .order_by("-posted_at")[:200]
            )
            html = render_to_string(template, {"event": event, "entries": entries})
            cache.set(key, html, 3600)
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_GET
def page(request, slug: str):
    return _answer(request, slug, "newsroom/live_page.html")


@require_GET
def feed(request, slug: str):
    return _answer(request, slug, "newsroom/_live_feed.html")


@require_GET
def photo(request, slug: str, pk: int):
    entry = get_object_or_404(
        LiveEntry.objects.select_related("photo", "event"),
        pk=pk,
        event__slug=slug,
        state=LiveEntryState.APPROVED,
    )
    if entry.photo is None:
        raise Http404
    response = FileResponse(entry.photo.file.open("rb"), content_type=entry.photo.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
