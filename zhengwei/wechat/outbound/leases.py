"""One refresher at a time for a per-account credential row (access token, jsapi_ticket).

A Redis lock when REDIS_URL is set (and Redis answers: when it is down, the lease below takes
over); otherwise a lease on the row itself, claimed with one
conditional UPDATE. No database transaction stays open during the HTTP call: on SQLite that would
lock the whole database (every callback write) for as long as WeChat takes to answer. The lease
expires by itself (lock_ttl_seconds), so a process killed mid-fetch cannot block the account.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound.errors import TokenLockTimeout

log = logging.getLogger("zhengwei.wechat.token")


@contextlib.contextmanager
def exclusive(
    model: type[models.Model], account: WeChatAccount, conf: dict, *, name: str, defaults=None
) -> Iterator[models.Model]:
    """Hold the account's lock for ``model`` and yield its row, read after the lock is held."""
    try:  # the row must exist before it can be claimed
        with transaction.atomic():
            model.objects.get_or_create(account=account, defaults=defaults or {})
    except IntegrityError:
        pass  # another process created it at the same moment
    lock = _redis_lock(account, conf, name) if settings.REDIS_URL else None
    if lock is not None:
        import redis  # only installations with REDIS_URL use it

        try:
            yield model.objects.get(account=account)
        finally:
            with contextlib.suppress(redis.exceptions.RedisError):
                lock.release()  # expired under a very slow fetch: the next refresher goes on
    else:
        owner = _claim(model, account, conf, name)
        try:
            yield model.objects.get(account=account)
        finally:
            model.objects.filter(account=account, lease_owner=owner).update(
                lease_until=None, lease_owner=""
            )


def _redis_lock(account: WeChatAccount, conf: dict, name: str):
    """The Redis lock, held; None when Redis cannot be reached, so the caller falls back to the
    database lease (degraded: one more query, but tokens keep working)."""
    import redis  # only installations with REDIS_URL use it

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    lock = client.lock(
        f"zhengwei:wechat:{name}:{account.pk}",
        timeout=conf["lock_ttl_seconds"],
        blocking_timeout=conf["lock_wait_seconds"],
    )
    try:
        acquired = lock.acquire()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        log.warning(
            "Redis unreachable: %s lock for account %s falls back to the database", name, account.pk
        )
        return None
    if not acquired:
        raise TokenLockTimeout(endpoint=name)
    return lock


def _claim(model: type[models.Model], account: WeChatAccount, conf: dict, name: str) -> str:
    owner = uuid.uuid4().hex
    deadline = time.monotonic() + conf["lock_wait_seconds"]
    while True:
        now = timezone.now()
        claimed = (
            model.objects.filter(account=account)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .update(
                lease_until=now + timedelta(seconds=conf["lock_ttl_seconds"]), lease_owner=owner
            )
        )
        if claimed:
            return owner
        if time.monotonic() > deadline:
            raise TokenLockTimeout(endpoint=name)
        time.sleep(0.05)
