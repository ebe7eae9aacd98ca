"""The Redis cache, degraded instead of broken when Redis is down.

With REDIS_URL set, the cache holds only what can be recomputed (live-page fragments, the flood
snapshot's copy); losing Redis must cost speed, not pages. Django's RedisCache raises on a
refused connection, so every page that touches the cache would answer 500 while Redis is
restarted. This backend turns connection failures into misses (``get`` answers the default,
``set`` does nothing, ``add`` says "not added") and logs at most one warning a minute. Short
socket timeouts (settings) keep a dead Redis from holding requests.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("zhengwei.cache")
_DOWN = (RedisConnectionError, RedisTimeoutError)
_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        log.warning("Redis unreachable, cache degraded to misses: %s", exc)


def _degraded(default_result):
    def wrap(method):
        @functools.wraps(method)
        def inner(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except _DOWN as exc:
                _warn(exc)
                return default_result(*args, **kwargs)

        return inner

    return wrap


class ForgivingRedisCache(RedisCache):
    @_degraded(lambda self, key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degraded(lambda *a, **k: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degraded(lambda *a, **k: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degraded(lambda *a, **k: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degraded(lambda *a, **k: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degraded(lambda *a, **k: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degraded(lambda *a, **k: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degraded(lambda self, key, delta=1, version=None: delta)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degraded(lambda self, data, *a, **k: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degraded(lambda *a, **k: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degraded(lambda *a, **k: False)
    def clear(self):
        return super().clear()
