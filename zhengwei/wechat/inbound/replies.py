"""Built-in instant passive replies: keyword auto-replies and menu CLICK replies.

Both read a per-process snapshot of the account's rules (refreshed after
WECHAT_REPLY_CACHE_SECONDS, and at once in the process that changed them), so answering costs no
query on the hot path.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError

from zhengwei.lib.db import reconnecting
from zhengwei.wechat.inbound.dispatch import passive
from zhengwei.wechat.inbound.keys import account_keys
from zhengwei.wechat.inbound.models import KeywordReply, Match, MenuClickReply


@dataclass(frozen=True)
class _Rules:
    exact: dict[str, str]
    contains: list[tuple[str, str]]  # longest keyword first: the most specific rule wins
    clicks: dict[str, str]


_cache: dict[int, tuple[float, _Rules]] = {}
_lock = threading.Lock()


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _load(account_id: int) -> _Rules:
    exact: dict[str, str] = {}
    contains: list[tuple[str, str]] = []
    for kw, match, text in (
        KeywordReply.objects.filter(account_id=account_id, active=True)
        .order_by("id")
        .values_list("keyword", "match", "reply_text")
    ):
        key = _normalise(kw)
        if not key:
            continue
        if match == Match.EXACT:
            exact.setdefault(key, text)
        else:
            contains.append((key, text))
    contains.sort(key=lambda pair: -len(pair[0]))
    clicks = dict(
        MenuClickReply.objects.filter(account_id=account_id, active=True).values_list(
            "event_key", "reply_text"
        )
    )
    return _Rules(exact=exact, contains=contains, clicks=clicks)


def rules_for(account_id: int, *, margin: float = 0.0) -> _Rules:
    """The account's reply rules, from the cache while fresh for another ``margin`` seconds.
    Like the account keys, a broken connection is replaced once and stale rules are served while
    the database is down (a passive reply is better than none)."""
    now = time.monotonic()
    hit = _cache.get(account_id)
    if hit is not None and hit[0] > now + margin:
        return hit[1]
    try:
        rules = reconnecting(_load, account_id)
    except DatabaseError:
        if hit is not None:
            with _lock:
                _cache[account_id] = (time.monotonic() + margin + 1.0, hit[1])
            return hit[1]
        rules = _Rules(exact={}, contains=[], clicks={})  # no reply now; the message is kept
        with _lock:
            _cache[account_id] = (time.monotonic() + margin + 1.0, rules)
        return rules
    with _lock:
        _cache[account_id] = (now + settings.WECHAT_REPLY_CACHE_SECONDS, rules)
    return rules


async def warm_rules(account_id: int, *, margin: float = 1.0) -> None:
    """For the event loop: make sure ``rules_for(account_id)`` is a cache hit for at least
    ``margin`` seconds, loading the rules on a thread if needed (see keys.warm_account_keys)."""
    hit = _cache.get(account_id)
    if hit is not None and hit[0] > time.monotonic() + margin:
        return
    await sync_to_async(rules_for, thread_sensitive=False)(account_id, margin=margin)


def forget_rules(account_id: int | None = None) -> None:
    with _lock:
        if account_id is None:
            _cache.clear()
        else:
            _cache.pop(account_id, None)


def keyword_answer(account_id: int, text: str) -> str | None:
    rules = rules_for(account_id)
    said = _normalise(text)
    if said in rules.exact:
        return rules.exact[said]
    for key, reply in rules.contains:
        if key in said:
            return reply
    return None


@passive("text")
def keyword_reply(parsed) -> str | None:
    keys = account_keys(parsed.to_user)
    if keys is None or not parsed.content:
        return None
    return keyword_answer(keys.id, parsed.content)


@passive("click")
def menu_click_reply(parsed) -> str | None:
    keys = account_keys(parsed.to_user)
    if keys is None or not parsed.event_key:
        return None
    return rules_for(keys.id).clicks.get(parsed.event_key)
