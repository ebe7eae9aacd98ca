"""The ASGI handler for ``/wechat/callback/<original id>/`` (mounted by zhengwei/asgi.py;
PostgreSQL only).

Same protocol code as the WSGI fast path — ``callback.receive`` then ``callback.answer`` — with a
different concurrency model around the insert: one event loop per process (gunicorn ``-k asgi``)
instead of request threads plus a writer thread, and an asyncio group committer
(``astore.AsyncGroupCommitter``) instead of ``store.GroupCommitter``. The event loop never runs an
ORM query: account keys and reply rules are refreshed on a thread before their TTL expires, and
rejection records and the processing kick go through the default executor.
"""

from __future__ import annotations

import asyncio
import logging

from django.conf import settings
from django.core.exceptions import SynchronousOnlyOperation
from django.db import DatabaseError, close_old_connections

from zhengwei.wechat.inbound import callback as cb
from zhengwei.wechat.inbound.astore import AsyncGroupCommitter
from zhengwei.wechat.inbound.fastpath import _PATH, client_ip, replay_spool
from zhengwei.wechat.inbound.keys import warm_account_keys
from zhengwei.wechat.inbound.models import CallbackRejection
from zhengwei.wechat.inbound.replies import warm_rules
from zhengwei.wechat.inbound.store import StoreError
from zhengwei.wechat.inbound.tasks import notify_stored

log = logging.getLogger("zhengwei.wechat.callback")

_committer: AsyncGroupCommitter | None = None


def get_committer() -> AsyncGroupCommitter:
    global _committer
    if _committer is None:  # only ever touched from the event loop's thread
        _committer = AsyncGroupCommitter(
            max_batch=settings.WECHAT_GROUP_COMMIT_MAX,
            timeout=settings.WECHAT_GROUP_COMMIT_TIMEOUT,
            on_stored=notify_stored,
            kick_interval=settings.WECHAT_INBOUND_KICK_MS / 1000,
            after_write=replay_spool,
        )
    return _committer


async def close() -> None:
    global _committer
    if _committer is not None:
        await _committer.close()
        _committer = None


def _save_rejections(rejections) -> None:
    close_old_connections()
    try:
        CallbackRejection.objects.bulk_create(rejections)
    except DatabaseError:
        log.exception("could not record %d callback rejections", len(rejections))


async def _read_body(receive, cap: int) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        body += message.get("body", b"")
        if len(body) > cap or not message.get("more_body", False):
            break  # never keep more than one chunk past the cap
    return bytes(body[: cap + 1])


async def callback_app(scope, receive, send) -> None:
    path = scope["path"]
    match = _PATH.match(path)
    if match is None:
        return await _send(send, cb.Response(404, b"not found"))
    original_id = match.group(1)
    headers = {}
    for name, value in scope.get("headers") or ():
        headers.setdefault(name, value)
    try:
        length = int(headers.get(b"content-length", b"0"))
    except ValueError:
        length = None
    params = cb.parse_query(scope.get("query_string", b"").decode("latin-1"))
    cap = settings.WECHAT_CALLBACK_MAX_BYTES
    if scope["method"] == "POST" and length is not None and length > cap:
        body = b""  # refused by its Content-Length (413) without waiting for the body
    else:
        body = await _read_body(receive, cap)
    if all(params.get(n) for n in ("signature", "timestamp", "nonce")):
        # Unsigned requests are refused by cb.receive before any lookup.
        try:
            keys = await warm_account_keys(original_id)
            if keys is not None:
                await warm_rules(keys.id)
        except DatabaseError as exc:
            log.error("callback not stored (WeChat will retry): %s", exc)
            return await _send(send, cb.Response(503, b"retry later"))
    client = scope.get("client")
    rejections: list = []
    kwargs = dict(
        method=scope["method"],
        original_id=original_id,
        params=params,
        read_body=lambda: body,
        content_length=length,
        ip=client_ip(headers.get(b"x-forwarded-for", b"").decode("latin-1"), client and client[0]),
        path=path,
        reject=rejections.append,
    )
    try:
        pending = cb.receive(**kwargs)
    except SynchronousOnlyOperation:
        # A cache entry vanished between warming and use (a console save in this process
        # cleared it): the lookup must not run on the loop, so run the whole step on a thread.
        rejections.clear()
        pending = await asyncio.to_thread(cb.receive, **kwargs)
    loop = asyncio.get_running_loop()
    if rejections:
        loop.run_in_executor(None, _save_rejections, rejections)
    if isinstance(pending, cb.Response):
        return await _send(send, pending)
    try:
        stored = await get_committer().save(pending.row)
    except (StoreError, TimeoutError) as exc:
        # Spooled on a thread: an fsync must not stall the other requests on the loop.
        return await _send(send, await asyncio.to_thread(cb.spool_or_refuse, pending, exc))
    await _send(send, cb.answer(pending, stored))


async def _send(send, response: cb.Response) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (b"content-type", response.content_type.encode()),
                (b"content-length", str(len(response.body)).encode()),
                (b"x-content-type-options", b"nosniff"),  # echostr is reflected input
            ],
        }
    )
    await send({"type": "http.response.body", "body": response.body})
