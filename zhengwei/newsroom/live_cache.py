"""The public live page's copy in the shared cache (the cache table, or Redis when REDIS_URL is
set): one entry per event, page part and language holding (ETag, HTML). A reader's request costs
one cache lookup: no query while nothing changed; the services that change what the page shows
call ``live_changed``, which drops the copies once the change has committed, so every process
serves the new version on its next request."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from zhengwei.newsroom.models import LiveEvent

PARTS = ("page", "feed")
# A reader who rendered just before a change committed may store the old page after the change
# dropped it: the copy lives at most this long, so such a page is never stale for longer.
SECONDS = 30


def key(slug: str, part: str, language: str) -> str:
    return f"newsroom:live:{slug}:{part}:{language}"


def live_changed(event_id: int, *, now=None, **fields) -> None:
    """Record that event ``event_id`` changed (``fields`` too, e.g. is_open=False) and forget
    its cached pages after commit."""
    LiveEvent.objects.filter(pk=event_id).update(changed_at=now or timezone.now(), **fields)
    slug = LiveEvent.objects.filter(pk=event_id).values_list("slug", flat=True).first()
    if slug:
        keys = [key(slug, p, code) for p in PARTS for code, _name in settings.LANGUAGES]
        transaction.on_commit(lambda: cache.delete_many(keys))
