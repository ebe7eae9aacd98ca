"""With REDIS_URL set and Redis down, the cache degrades to misses instead of raising (#9)."""

import socket
import time

from zhengwei.lib.cache import ForgivingRedisCache


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def _cache() -> ForgivingRedisCache:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    return ForgivingRedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )


def test_reads_miss_and_writes_are_dropped_quickly_when_redis_is_down():
    cache = _cache()
    started = time.monotonic()
    assert cache.get("snapshot", "fallback") == "fallback"
    assert cache.set("snapshot", {"a": 1}, 30) is None
    assert cache.add("lock", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("snapshot") is False
    assert cache.get_or_set("x", lambda: "computed", 30) == "computed"
    assert time.monotonic() - started < 5
