"""The public live page's copy in the shared cache (the cache table, or Redis when REDIS_URL is
set): one entry per event, page part and language holding (ETag, HTML). A reader's request costs
one cache lookup and no query while nothing changed (``live_fast`` answers it before Django).

A change to what the page shows goes through ``live_changed``: once the change has committed, the
writer renders the new copies itself and puts them in place (``cache.set``), so readers never
miss right after a new entry, and the many readers of a typhoon night do not all render the page
at once. A reader who finds no copy renders one and only *adds* it (``cache.add``), so a render
that started before a change can never replace the writer's newer copy. The writer checks the
event again after storing: if another change committed meanwhile, it renders once more, so the
last copy stored is always the newest. A copy lives ``SECONDS`` at most (a new deployment's
templates show within that time).

The lean path (``live_fast``) also keeps each copy it served in the process for ``LOCAL_SECONDS``
(1 s), so a process serving thousands of readers a second asks the shared cache about once a
second per page instead of once per reader. A change made in this process forgets its local
copies at once; another process's change shows here within that second — well inside the
``max-age`` (5 s) every reader's browser is allowed anyway."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from zhengwei.lib.db import reconnecting
from zhengwei.newsroom.models import LiveEntry, LiveEntryState, LiveEvent

log = logging.getLogger("zhengwei.newsroom")
# The page part → its template (the full page; the list the page's script polls).
TEMPLATES = {"page": "newsroom/live_page.html", "feed": "newsroom/_live_feed.html"}
PARTS = tuple(TEMPLATES)
SECONDS = 300
# How long a reader's browser (and any proxy) may reuse a copy without asking (then If-None-Match).
MAX_AGE = 5
ENTRIES = 200
LOCAL_SECONDS = 1.0
# key → (valid until, on time.monotonic(); ETag; the encoded page). Only pages that exist get in,
# so unknown addresses cannot grow it.
_local: dict[str, tuple[float, str, bytes]] = {}


def key(slug: str, part: str, language: str) -> str:
    return f"newsroom:live:{slug}:{part}:{language}"


def cache_control() -> str:
    return f"public, max-age={MAX_AGE}"


def render(event: LiveEvent, part: str, language: str) -> tuple[str, str]:
    """(ETag, HTML) of one part of ``event``'s page in ``language``, as it stands now."""
    etag = f'"live-{event.pk}-{event.changed_at.timestamp():.6f}-{part}-{language}"'
    entries = list(
        LiveEntry.objects.filter(event=event, state=LiveEntryState.APPROVED)
        .select_related("posted_by")
        .order_by("-posted_at")[:ENTRIES]
    )
    with translation.override(language):
        html = render_to_string(TEMPLATES[part], {"event": event, "entries": entries})
    return etag, html


def copy(slug: str, part: str, language: str) -> tuple[str, str] | None:
    """The stored (ETag, HTML), or a fresh render added to the cache; None: no such event."""
    hit = cache.get(key(slug, part, language))
    if hit is None:
        event = LiveEvent.objects.filter(slug=slug).first()
        if event is None:
            return None
        hit = render(event, part, language)
        cache.add(key(slug, part, language), hit, SECONDS)
    return hit


def served(slug: str, part: str, language: str) -> tuple[str, bytes] | None:
    """(ETag, encoded page) for the lean path: this process's copy while it is fresh, else the
    shared cache's; None when the shared cache has none."""
    name = key(slug, part, language)
    now = time.monotonic()
    mine = _local.get(name)
    if mine is not None and mine[0] > now:
        return mine[1], mine[2]
    hit = reconnecting(cache.get, name)
    if hit is None:
        _local.pop(name, None)
        return None
    etag, html = hit
    body = html.encode(settings.DEFAULT_CHARSET)
    _local[name] = (now + LOCAL_SECONDS, etag, body)
    return etag, body


def forget_local(slug: str) -> None:
    for name in [key(slug, p, code) for p in PARTS for code, _name in settings.LANGUAGES]:
        _local.pop(name, None)


def refresh(event_id: int, attempts: int = 3, store=None) -> None:
    """Render every copy of the event's page and store it (after a committed change) in the
    shared cache, or in ``store`` (another cache, as the benchmark's second server uses)."""
    store = store or cache
    for _attempt in range(attempts):
        event = LiveEvent.objects.filter(pk=event_id).first()
        if event is None:
            return
        store.set_many(
            {
                key(event.slug, part, code): render(event, part, code)
                for part in PARTS
                for code, _name in settings.LANGUAGES
            },
            SECONDS,
        )
        now = LiveEvent.objects.filter(pk=event_id).values_list("changed_at", flat=True).first()
        if now == event.changed_at:
            return
    # Changes keep coming faster than the page renders: let the next reader render it.
    store.delete_many([key(event.slug, p, code) for p in PARTS for code, _ in settings.LANGUAGES])


def _refresh_or_forget(event_id: int, slug: str) -> None:
    forget_local(slug)
    try:
        refresh(event_id)
    except Exception:  # the change has committed: never fail the writer for its page copy
        log.exception("live page %s: rendering after a change failed; readers will render it", slug)
        cache.delete_many([key(slug, p, code) for p in PARTS for code, _ in settings.LANGUAGES])


def live_changed(event_id: int, *, now=None, **fields) -> None:
    """Record that event ``event_id`` changed (``fields`` too, e.g. is_open=False) and put the
    new copies of its page in place once the change has committed."""
    LiveEvent.objects.filter(pk=event_id).update(changed_at=now or timezone.now(), **fields)
    slug = LiveEvent.objects.filter(pk=event_id).values_list("slug", flat=True).first()
    if slug:
        transaction.on_commit(lambda: _refresh_or_forget(event_id, slug))
