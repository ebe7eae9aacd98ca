"""The public live page: cheap to serve to many readers at once.

Each response carries an ETag made of the event's id and its last change; a reader's browser
(and any proxy) asks with If-None-Match and gets 304. The ETag and the rendered page live
together in the shared cache (``live_cache``), so a request costs one cache lookup and no query
while nothing changed; a change puts new copies in place after commit. Most readers never reach
these views: ``live_fast`` answers from the same copies before Django (zhengwei/wsgi.py); they
come here when there is no copy yet, or when the lean path is unsure (a signed-in person…).
New entries appear without reload: the page's script polls ``feed/`` the same way.
``bench/run live`` measures it.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from zhengwei.newsroom import live_cache
from zhengwei.newsroom.models import LiveEntry, LiveEntryState


def _answer(request, slug: str, part: str):
    hit = live_cache.copy(slug, part, get_language())
    if hit is None:
        raise Http404
    etag, html = hit
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Cache-Control"] = live_cache.cache_control()
    return response


@require_GET
def page(request, slug: str):
    return _answer(request, slug, "page")


@require_GET
def feed(request, slug: str):
    return _answer(request, slug, "feed")


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
