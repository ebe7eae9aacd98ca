"""The public live page: cheap to serve to many readers at once.

Each response carries an ETag made of the event's id and its last change; a reader's browser
(and any proxy) asks with If-None-Match and gets 304. The ETag and the rendered page live
together in the shared cache (``live_cache``), so a request costs one cache lookup and no query
while nothing changed; a change drops the copies after commit and the next request renders once
for every process. New entries appear without reload: the page's script polls ``feed/`` the same
way. ``bench/run live`` measures it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from zhengwei.newsroom import live_cache
from zhengwei.newsroom.models import LiveEntry, LiveEntryState, LiveEvent

MAX_AGE = 5


def _render(slug: str, part: str, template: str) -> tuple[str, str]:
    event = LiveEvent.objects.filter(slug=slug).first()
    if event is None:
        raise Http404
    etag = f'"live-{event.pk}-{event.changed_at.timestamp():.6f}-{part}-{get_language()}"'
    entries = list(
        LiveEntry.objects.filter(event=event, state=LiveEntryState.APPROVED)
        .select_related("posted_by")
        .order_by("-posted_at")[:200]
    )
    return etag, render_to_string(template, {"event": event, "entries": entries})


def _answer(request, slug: str, part: str, template: str):
    key = live_cache.key(slug, part, get_language())
    hit = cache.get(key)
    if hit is None:
        hit = _render(slug, part, template)
        cache.set(key, hit, live_cache.SECONDS)
    etag, html = hit
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_GET
def page(request, slug: str):
    return _answer(request, slug, "page", "newsroom/live_page.html")


@require_GET
def feed(request, slug: str):
    return _answer(request, slug, "feed", "newsroom/_live_feed.html")


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
