"""Per-process cache of the callback's account keys (token, AES key, mode) by original id.

The callback needs them on every request; reading the account row each time would cost a query
per message. The cache is configuration, not shared state: entries live WECHAT_ACCOUNT_CACHE_SECONDS
(a key change reaches other processes within that time, this process at once via a signal), and
unknown ids are cached too so a scan of made-up URLs does not turn into queries. Signatures are
still checked on every request.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError

from zhengwei.lib.db import reconnecting
from zhengwei.lib.wxcrypto import CryptoError, WXCrypto
from zhengwei.orgs.models import WeChatAccount


@dataclass(frozen=True)
class AccountKeys:
    id: int
    original_id: str
    app_id: str
    token: str
    mode: str
    crypto: WXCrypto | None  # None when the account has no (valid) EncodingAESKey

    def __repr__(self) -> str:  # keep keys out of logs and tracebacks
        return f"AccountKeys(id={self.id}, original_id={self.original_id!r})"


log = logging.getLogger("zhengwei.wechat.callback")

_cache: dict[str, tuple[float, AccountKeys | None]] = {}
_lock = threading.Lock()


def _load(original_id: str) -> AccountKeys | None:
    row = (
        WeChatAccount.objects.filter(original_id=original_id, is_active=True)
        .values("id", "original_id", "app_id", "token", "encoding_aes_key", "message_mode")
        .first()
    )
    if row is None:
        return None
    crypto = None
    if row["encoding_aes_key"]:
        try:
            crypto = WXCrypto(row["token"], row["encoding_aes_key"], row["app_id"])
        except CryptoError:
            crypto = None
    return AccountKeys(
        id=row["id"],
        original_id=row["original_id"],
        app_id=row["app_id"],
        token=row["token"],
        mode=row["message_mode"],
        crypto=crypto,
    )


def account_keys(original_id: str, *, margin: float = 0.0) -> AccountKeys | None:
    """The keys of the account with this original id (None: no such active account), from the
    cache while it is fresh for another ``margin`` seconds. A broken connection (the database
    restarted) is replaced once; while the database is down an expired entry is served stale, so
    callbacks keep being verified and spooled (zhengwei/wechat/inbound/spool.py)."""
    now = time.monotonic()
    hit = _cache.get(original_id)
    if hit is not None and hit[0] > now + margin:
        return hit[1]
    try:
        keys = reconnecting(_load, original_id)
    except DatabaseError:
        if hit is None:
            raise
        log.warning("account keys of %s served stale: the database is unavailable", original_id)
        with _lock:  # ask the database again in a second, not on every request
            _cache[original_id] = (time.monotonic() + margin + 1.0, hit[1])
        return hit[1]
    ttl = settings.WECHAT_ACCOUNT_CACHE_SECONDS
    with _lock:
        if len(_cache) > 10_000:  # bounded: made-up ids must not grow memory forever
            _cache.clear()
        _cache[original_id] = (now + ttl, keys)
    return keys


async def warm_account_keys(original_id: str, *, margin: float = 1.0) -> AccountKeys | None:
    """For the event loop: make sure ``account_keys(original_id)`` is a cache hit for at least
    ``margin`` seconds, loading it on a thread if needed, so the loop never runs an ORM query."""
    hit = _cache.get(original_id)
    if hit is not None and hit[0] > time.monotonic() + margin:
        return hit[1]
    return await sync_to_async(account_keys, thread_sensitive=False)(original_id, margin=margin)


def forget_account(sender=None, **kwargs) -> None:
    # Clear everything: the saved row may have changed its original id, and saves are rare.
    with _lock:
        _cache.clear()
