"""The callback protocol (brief wechat.md §2, §7), independent of Django's request machinery so
the lean WSGI path (``fastpath``) and the Django view share it.

Order of checks, cheapest and most telling first: account → ``signature`` → timestamp window →
(GET: echo) → body size → envelope XML → ``msg_signature`` → decrypt (with the AppID tail check)
→ inner XML → store → answer. ``receive`` does everything up to the store, ``answer`` the rest;
``handle`` stores in between synchronously (WSGI), the ASGI path awaits its async committer. Anything refused becomes a 4xx, a log line and a
``CallbackRejection``; nothing the sender controls can produce a 500. Only a storage failure
answers 503, deliberately: the message is not durable, so WeChat must retry it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from zhengwei.lib import wxxml
from zhengwei.lib.sealed import dedupe_digest
from zhengwei.lib.wxcrypto import CryptoError, InvalidSignature, check_signature
from zhengwei.orgs.models import MessageMode
from zhengwei.wechat.inbound.dispatch import passive_reply
from zhengwei.wechat.inbound.keys import AccountKeys, account_keys
from zhengwei.wechat.inbound.models import CallbackRejection, RejectReason
from zhengwei.wechat.inbound.spool import SpoolFull, spool_append
from zhengwei.wechat.inbound.store import Row, Stored, StoreError

log = logging.getLogger("zhengwei.wechat.callback")

TEXT = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = TEXT


class Rejected(Exception):
    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.status, self.reason, self.detail = status, reason, detail


def parse_query(query_string: str) -> dict[str, str]:
    """Query parameters with their bytes preserved (WSGI strings are latin-1), so ``echostr`` can
    be returned byte-for-byte. The first occurrence of a name wins."""
    params: dict[str, str] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True, encoding="latin-1"):
        params.setdefault(name, value)
    return params


def _text(params: dict[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None or value.isascii():
        return value
    return value.encode("latin-1").decode("utf-8", "replace")


@dataclass(frozen=True)
class Pending:
    """A delivery that passed every check: the row to store and what is needed to answer it."""

    row: Row
    keys: AccountKeys
    encrypted: bool
    nonce: str


def receive(
    *,
    method: str,
    original_id: str,
    params: dict[str, str],
    read_body,
    content_length: int | None,
    ip: str | None,
    path: str,
    reject,
) -> Response | Pending:
    """Checks, parsing and the passive-reply decision for one request, without storing anything.

    Returns the final ``Response`` (a GET echo, a refusal, a 503) or a ``Pending`` delivery, whose
    row the caller stores — synchronously (``handle``) or by awaiting the async group committer
    (``zhengwei.wechat.inbound.asgi_callback``) — before calling ``answer``. ``reject`` receives
    the ``CallbackRejection`` of a refusal (not awaited by the answer)."""
    keys = None
    try:
        if not all(params.get(n) for n in ("signature", "timestamp", "nonce")):
            # Unsigned: refused without touching the database (works while it is down).
            raise Rejected(403, RejectReason.MISSING_PARAMS)
        keys = account_keys(original_id)
        if keys is None:
            raise Rejected(404, RejectReason.UNKNOWN_ACCOUNT)
        return _receive(method, keys, params, read_body, content_length)
    except Rejected as rej:
        log.warning(
            "callback rejected: %s %s status=%s ip=%s path=%s",
            rej.reason,
            rej.detail,
            rej.status,
            ip,
            path[:255],
        )
        reject(
            CallbackRejection(
                account_id=keys.id if keys else None,
                reason=rej.reason,
                status=rej.status,
                detail=rej.detail[:255],
                ip=ip,
                path=path[:255],
                at=timezone.now(),
            )
        )
        return Response(rej.status, str(rej.reason).encode())
    except DatabaseError as exc:  # the account lookup
        log.error("callback not stored (WeChat will retry): %s", exc)
        return Response(503, b"retry later")


def answer(pending: Pending, stored: Stored) -> Response:
    """The answer to a delivery whose row is durable. A retry gets the first delivery's answer
    (``stored.reply_xml``), whatever the providers would say now."""
    reply_xml = stored.reply_xml
    if not reply_xml:
        return Response(200, wxxml.SUCCESS)
    if pending.encrypted:
        envelope_xml = pending.keys.crypto.encrypt_reply(reply_xml, int(time.time()), pending.nonce)
        return Response(200, envelope_xml.encode(), XML)
    return Response(200, reply_xml.encode(), XML)


def handle(
    *,
    method: str,
    original_id: str,
    params: dict[str, str],
    read_body,
    content_length: int | None,
    ip: str | None,
    path: str,
    store,
) -> Response:
    """Answer one callback request synchronously. ``read_body()`` returns the body (called only
    once it is known to be within the size cap); ``store`` is a DirectStore or GroupCommitter."""
    pending = receive(
        method=method,
        original_id=original_id,
        params=params,
        read_body=read_body,
        content_length=content_length,
        ip=ip,
        path=path,
        reject=store.reject,
    )
    if isinstance(pending, Response):
        return pending
    try:
        stored = store.save(pending.row)
    except (StoreError, DatabaseError) as exc:
        return spool_or_refuse(pending, exc)
    return answer(pending, stored)


def spool_or_refuse(pending: Pending, exc: BaseException) -> Response:
    """The database did not take the delivery: keep it in the local spool and answer it, or —
    when the spool is off or full — answer 503 so WeChat retries."""
    if settings.WECHAT_SPOOL:
        try:
            spool_append(pending.row)
        except (SpoolFull, OSError) as spool_exc:
            log.error("callback neither stored (%s) nor spooled (%s)", exc, spool_exc)
        else:
            return answer(pending, Stored(created=True, reply_xml=pending.row.reply_xml))
    log.error("callback not stored (WeChat will retry): %s", exc or "timed out")
    return Response(503, b"retry later")


def _receive(method, keys: AccountKeys, params, read_body, content_length) -> Response | Pending:
    signature, timestamp, nonce = (_text(params, n) for n in ("signature", "timestamp", "nonce"))
    if not (signature and timestamp and nonce):
        raise Rejected(403, RejectReason.MISSING_PARAMS)
    if not check_signature(keys.token, signature, timestamp, nonce):
        raise Rejected(403, RejectReason.BAD_SIGNATURE)
    max_age = settings.WECHAT_CALLBACK_MAX_AGE
    if max_age:
        # A Unix time has at most 11 digits for millennia; longer ones (a 400-digit number with
        # a valid signature) would overflow the float arithmetic below.
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            raise Rejected(403, RejectReason.STALE, "timestamp is not a Unix time")
        skew = abs(time.time() - int(timestamp))
        if skew > max_age:
            raise Rejected(403, RejectReason.STALE, f"{int(skew)}s off")

    if method in ("GET", "HEAD"):
        echostr = params.get("echostr")
        if echostr is None:
            raise Rejected(400, RejectReason.MISSING_PARAMS, "no echostr")
        return Response(200, echostr.encode("latin-1"))
    if method != "POST":
        raise Rejected(405, RejectReason.METHOD, method[:20])

    cap = settings.WECHAT_CALLBACK_MAX_BYTES
    if content_length is not None and content_length > cap:
        raise Rejected(413, RejectReason.TOO_LARGE, f"{content_length} bytes")
    body = read_body()
    try:
        envelope = wxxml.parse_envelope(body, max_bytes=cap)
    except wxxml.XMLRejected as exc:
        raise Rejected(400, RejectReason.MALFORMED, exc.reason) from None

    encrypted = params.get("encrypt_type") == "aes" or "Encrypt" in envelope
    if encrypted:
        if keys.crypto is None:
            raise Rejected(403, RejectReason.DECRYPT, "account has no EncodingAESKey")
        try:
            inner = keys.crypto.decrypt_message(
                envelope, _text(params, "msg_signature"), timestamp, nonce
            )
        except InvalidSignature:
            raise Rejected(403, RejectReason.BAD_MSG_SIGNATURE) from None
        except CryptoError as exc:
            raise Rejected(403, RejectReason.DECRYPT, str(exc)) from None
        raw_xml = inner
        mode = MessageMode.SAFE if keys.mode == MessageMode.SAFE else MessageMode.COMPATIBLE
    elif keys.mode == MessageMode.SAFE:
        # The body of a plaintext request is not covered by any signature: a safe-mode account
        # accepts only what it can authenticate.
        raise Rejected(403, RejectReason.MODE)
    else:
        raw_xml, mode = body, MessageMode.PLAINTEXT
    try:
        msg = wxxml.parse_message(raw_xml, max_bytes=cap) if encrypted else _from(envelope)
    except wxxml.XMLRejected as exc:
        raise Rejected(400, RejectReason.MALFORMED, exc.reason) from None
    if msg.to_user != keys.original_id:
        raise Rejected(403, RejectReason.RECIPIENT, msg.to_user[:40])

    reply_xml = _reply_xml(passive_reply(msg), msg)
    return Pending(
        row=Row(
            account_id=keys.id,
            dedupe_key=dedupe_digest(wxxml.dedupe_key(msg)),
            from_user=msg.from_user[:64],
            kind=msg.kind,
            msg_type=msg.msg_type[:32],
            event=(msg.event or "")[:64],
            event_key=(msg.event_key or "")[:512],
            msg_id=(msg.msg_id or "")[:32],
            create_time=msg.create_time,
            received_at=timezone.now(),
            raw_xml=raw_xml.decode("utf-8", "replace"),
            fields=msg.fields,
            mode=mode,
            known=msg.is_known,
            reply_xml=reply_xml,
        ),
        keys=keys,
        encrypted=encrypted,
        nonce=nonce,
    )


def _from(envelope: dict) -> wxxml.InboundMessage:
    return wxxml.message_from_dict(envelope)


def _reply_xml(answer, msg: wxxml.InboundMessage) -> str:
    if not answer:
        return ""
    if isinstance(answer, bytes):
        return answer.decode("utf-8")
    # Passive replies swap the parties: to the citizen, from the account.
    return wxxml.render_text_reply(msg.from_user, msg.to_user, str(answer)).decode("utf-8")
