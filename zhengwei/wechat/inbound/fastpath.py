"""The lean WSGI handler for ``/wechat/callback/<original id>/`` (mounted by zhengwei/wsgi.py).

WeChat's callback is machine-to-machine: no session, user, CSRF token, locale, message framework
or template. Django's full request path (request object, 13 middleware, URL resolver) costs more
than the protocol work itself, so this path skips it and talks WSGI directly, while using the same
settings, models and database connections (``django.db.connection``) as the rest of the project,
and the same protocol code as the Django view (``callback.handle``). Storage goes through the
per-process group committer. docs/wechat-callback.md explains the numbers.
"""

from __future__ import annotations

import re
import threading

from django.conf import settings
from django.urls import get_resolver

from zhengwei.lib import netaddr
from zhengwei.wechat.inbound.callback import Response, handle, parse_query
from zhengwei.wechat.inbound.spool import spool_replay_soon
from zhengwei.wechat.inbound.store import DirectStore, GroupCommitter
from zhengwei.wechat.inbound.tasks import notify_stored

PREFIX = "/wechat/callback/"
_PATH = re.compile(r"^/wechat/callback/([A-Za-z0-9_-]{1,40})/?$")
_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    503: "Service Unavailable",
}

_store = None
_store_lock = threading.Lock()


def get_store():
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                if settings.WECHAT_GROUP_COMMIT:
                    _store = GroupCommitter(
                        max_batch=settings.WECHAT_GROUP_COMMIT_MAX,
                        max_wait=settings.WECHAT_GROUP_COMMIT_WAIT_MS / 1000,
                        timeout=settings.WECHAT_GROUP_COMMIT_TIMEOUT,
                        on_stored=notify_stored,
                        kick_interval=settings.WECHAT_INBOUND_KICK_MS / 1000,
                        after_write=replay_spool,
                    )
                else:
                    _store = DirectStore(notify_stored, replay_spool)
    return _store


def warm_up() -> None:
    """Import the URL conf, and every view module behind it (matplotlib among them), when the
    worker starts instead of in its first request. Keyword answers ``reverse()`` links, so
    otherwise the first callback of each worker imports for seconds while holding the GIL, and
    every callback queued behind it waits that long (a new worker's p99 in the benchmark)."""
    get_resolver().url_patterns  # noqa: B018 - the attribute's side effect is the point


def replay_spool() -> None:
    """After a successful write: deliveries spooled during an outage go in now."""
    spool_replay_soon(notify_stored)


def _client_ip(environ) -> str | None:
    return client_ip(environ.get("HTTP_X_FORWARDED_FOR", ""), environ.get("REMOTE_ADDR"))


def client_ip(forwarded_for: str, remote_addr: str | None) -> str | None:
    """The source IP logged for rejections (PROXY_COUNT decides which X-Forwarded-For hop)."""
    return netaddr.client_ip(forwarded_for, remote_addr, settings.AXES_IPWARE_PROXY_COUNT)


def _respond(start_response, response: Response):
    start_response(
        f"{response.status} {_REASONS.get(response.status, 'Error')}",
        [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            ("X-Content-Type-Options", "nosniff"),  # echostr is reflected input
        ],
    )
    return [response.body]


def callback_app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    match = _PATH.match(path)
    if match is None:
        return _respond(start_response, Response(404, b"not found"))
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = None
    cap = settings.WECHAT_CALLBACK_MAX_BYTES

    def read_body() -> bytes:
        # Never read more than one byte past the cap, whatever the client claims.
        size = cap + 1 if not length else min(length, cap + 1)
        return environ["wsgi.input"].read(size)

    response = handle(
        method=environ.get("REQUEST_METHOD", "GET"),
        original_id=match.group(1),
        params=parse_query(environ.get("QUERY_STRING", "")),
        read_body=read_body,
        content_length=length,
        ip=_client_ip(environ),
        path=path,
        store=get_store(),
    )
    return _respond(start_response, response)
