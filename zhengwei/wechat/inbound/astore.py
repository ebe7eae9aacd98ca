"""Group commit for the ASGI callback path (PostgreSQL only).

The asyncio counterpart of ``store.GroupCommitter``: one psycopg ``AsyncConnection`` per process
(built from ``settings.DATABASES['default']``, autocommit), and a writer task that takes every
row queued while its previous statement ran (capped at WECHAT_GROUP_COMMIT_MAX) and writes them
with the same single statement as the WSGI path (``store._insert_sql``: ``INSERT … SELECT …
FROM json_populate_recordset(…) ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING``).
Each request awaits the commit of the batch holding its row, so a 200 still means "stored". A row
that conflicts is a retry: the first delivery's ``reply_xml`` is read back on the same connection.
A failed statement fails its whole batch (503) and WeChat retries.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import close_old_connections

from zhengwei.wechat.inbound import store as st

log = logging.getLogger("zhengwei.wechat.store")


def conninfo() -> str:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise RuntimeError("the async group committer needs PostgreSQL")
    options = {k: v for k, v in (db.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=str(db["PORT"]) if db.get("PORT") else None,
        **options,
    )


class AsyncGroupCommitter:
    def __init__(
        self,
        *,
        max_batch: int,
        timeout: float,
        on_stored: Callable[[], None],
        kick_interval: float,
        after_write: Callable[[], None] | None = None,
    ) -> None:
        self.after_write = after_write
        self.max_batch = max_batch
        self.timeout = timeout
        self.on_stored = on_stored
        self.kick_interval = kick_interval
        self._queue: list[tuple[st.Row, asyncio.Future]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._conn: psycopg.AsyncConnection | None = None
        self._sql: str | None = None
        self._table: str | None = None
        self._last_kick = 0.0
        self._trailing: asyncio.TimerHandle | None = None
        self.batches = 0  # statistics for tests and the benchmark
        self.rows = 0

    async def save(self, row: st.Row) -> st.Stored:
        """Wait until ``row`` is durable; raises StoreError (or TimeoutError) if it is not."""
        fut = asyncio.get_running_loop().create_future()
        self._queue.append((row, fut))
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.ensure_future(self._run())
        self._wake.set()
        return await asyncio.wait_for(fut, self.timeout)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def _connect(self) -> psycopg.AsyncConnection:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(conninfo(), autocommit=True)
        return self._conn

    async def _run(self) -> None:
        if self._sql is None:
            # Built with Django's quoting (no query); on a thread, like everything Django here.
            self._sql = await asyncio.to_thread(st._insert_sql, 0, True, "postgresql")
            self._table = st.InboundMessage._meta.db_table
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch = self._queue[: self.max_batch]
                self._queue = self._queue[self.max_batch :]
                try:
                    await self._write(batch)
                except Exception as exc:  # the writer must never die
                    self._fail(batch, exc)

    async def _write(self, batch: list[tuple[st.Row, asyncio.Future]]) -> None:
        first: dict[tuple[int, str], st.Row] = {}
        for row, _ in batch:
            first.setdefault((row.account_id, row.dedupe_key), row)
        payload = json.dumps(
            [st.sealed_values(r) for r in first.values()], default=st._json_default
        )
        for attempt in (1, 2):
            try:
                conn = await self._connect()
                cur = await conn.execute(self._sql, [payload], prepare=True)
                created = {(int(a), k) for a, k in await cur.fetchall()}
                replies = await self._stored_replies(conn, [k for k in first if k not in created])
                break
            except psycopg.OperationalError as exc:  # a dropped connection: reconnect once
                self._conn = None
                if attempt == 2:
                    return self._fail(batch, exc)
        for row, fut in batch:
            key = (row.account_id, row.dedupe_key)
            if key in created and first[key] is row:
                result = st.Stored(created=True, reply_xml=row.reply_xml)
            elif key in created:  # the same key twice in one batch
                result = st.Stored(created=False, reply_xml=first[key].reply_xml)
            else:
                result = st.Stored(created=False, reply_xml=replies.get(key, ""))
            if not fut.done():
                fut.set_result(result)
        self.batches += 1
        self.rows += len(batch)
        if created:
            self._kick()
        if self.after_write is not None:
            self.after_write()  # cheap (a directory look at most once a second), never blocks

    async def _stored_replies(self, conn, keys: list[tuple[int, str]]) -> dict:
        if not keys:
            return {}
        cur = await conn.execute(
            f'SELECT "account_id", "dedupe_key", "reply_xml" FROM "{self._table}" '
            'WHERE ("account_id", "dedupe_key") IN (SELECT * FROM unnest(%s::bigint[], %s::text[]))',
            [[a for a, _ in keys], [k for _, k in keys]],
        )
        # Raw SQL: the stored reply is sealed, the one sent back to WeChat is not.
        reply_field = st.InboundMessage._meta.get_field("reply_xml")
        return {
            (int(a), k): reply_field.from_db_value(reply, None, None)
            for a, k, reply in await cur.fetchall()
        }

    def _kick(self) -> None:
        # Coalesced: at most one "process the stored rows" signal per kick_interval per process,
        # and a trailing one so the last rows of a burst are never left waiting.
        if self._trailing is not None:
            return
        loop = asyncio.get_running_loop()
        due = self._last_kick + self.kick_interval - time.monotonic()
        if due <= 0:
            self._signal()
        else:
            self._trailing = loop.call_later(due, self._signal)

    def _signal(self) -> None:
        self._trailing = None
        self._last_kick = time.monotonic()
        asyncio.get_running_loop().run_in_executor(None, _call_logged, self.on_stored)

    def _fail(self, batch, exc: BaseException) -> None:
        log.error("group commit of %d deliveries failed: %s", len(batch), exc)
        for _, fut in batch:
            if not fut.done():
                fut.set_exception(st.StoreError(str(exc)))


def _call_logged(fn: Callable[[], None]) -> None:
    close_old_connections()
    try:
        fn()
    except Exception:
        log.exception("could not signal the processing step")
