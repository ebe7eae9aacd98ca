"""What travels between the simulated WeChat and an account's callback: signed (and, per the
account's mode, encrypted) requests, and the reading of passive replies (brief wechat.md §2)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from zhengwei.lib.wxcrypto import CryptoError, WXCrypto, make_signature
from zhengwei.lib.wxxml import XMLRejected, build_message_xml, parse_envelope, xml_to_dict
from zhengwei.simulator.models import Mode, SimAccount

REPLY_TYPES = frozenset(
    {"text", "image", "voice", "video", "music", "news", "transfer_customer_service"}
)


@dataclass(frozen=True)
class CallbackRequest:
    url: str
    params: dict[str, str]
    body: bytes
    xml: bytes  # the plaintext message inside
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/xml"})


def crypto_for(account: SimAccount) -> WXCrypto:
    return WXCrypto(account.token, account.aes_key, account.app_id)


def build_request(
    account: SimAccount,
    fields: dict[str, Any] | None = None,
    *,
    xml: bytes | None = None,
    openid: str | None = None,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> CallbackRequest:
    """The POST WeChat sends for one message or event (``fields``, or ready-made ``xml``), as the
    account's mode requires: ``signature`` always; in compatible and safe mode also
    ``encrypt_type=aes`` and a ``msg_signature`` over the ciphertext (compatible mode keeps the
    plain fields beside it)."""
    if xml is None:
        xml = build_message_xml(fields or {})
    elif fields is None and account.mode == Mode.COMPATIBLE:
        fields = parse_envelope(xml)
    ts = str(timestamp if timestamp is not None else int(timezone.now().timestamp()))
    nonce = nonce or str(secrets.randbelow(9_000_000_000) + 1_000_000_000)
    params = {
        "signature": make_signature(account.token, ts, nonce),
        "timestamp": ts,
        "nonce": nonce,
    }
    if openid:
        params["openid"] = openid
    if account.mode == Mode.PLAINTEXT:
        body = xml
    else:
        crypto = crypto_for(account)
        encrypt = crypto.encrypt(xml)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = crypto.sign(ts, nonce, encrypt)
        if account.mode == Mode.SAFE:
            body = build_message_xml({"ToUserName": account.original_id, "Encrypt": encrypt})
        else:
            body = build_message_xml({**fields, "Encrypt": encrypt})
    return CallbackRequest(url=account.callback_url, params=params, body=body, xml=xml)


@dataclass(frozen=True)
class Reply:
    """How WeChat reads a callback's answer. ``kind``: ``empty`` / ``success`` (nothing shown),
    ``message`` (a passive reply, in ``message``), ``invalid`` (the citizen sees
    「该公众号暂时无法提供服务，请稍后再试」; ``problem`` says why)."""

    kind: str
    message: dict[str, Any] | None = None
    problem: str = ""
    encrypted: bool = False

    @property
    def shown(self) -> bool:
        return self.kind == "message"


def read_reply(account: SimAccount, openid: str, body: bytes) -> Reply:
    stripped = body.strip()
    if not stripped:
        return Reply("empty")
    if stripped == b"success":
        return Reply("success")
    try:
        outer = parse_envelope(stripped)
    except XMLRejected as exc:
        return Reply("invalid", problem=f"not WeChat XML: {exc.reason}")
    encrypted = "Encrypt" in outer
    if encrypted:
        if account.mode == Mode.PLAINTEXT:
            return Reply("invalid", problem="encrypted reply to a plaintext-mode account")
        try:
            inner = xml_to_dict(crypto_for(account).decrypt_reply(stripped))
        except (CryptoError, XMLRejected) as exc:
            return Reply("invalid", problem=f"reply does not decrypt: {exc}")
    else:
        if account.mode == Mode.SAFE:
            return Reply("invalid", problem="safe mode needs an encrypted reply")
        inner = outer
    problem = _reply_problem(account, openid, inner)
    if problem:
        return Reply("invalid", message=inner, problem=problem, encrypted=encrypted)
    return Reply("message", message=inner, encrypted=encrypted)


def _reply_problem(account: SimAccount, openid: str, msg: dict[str, Any]) -> str:
    msg_type = msg.get("MsgType")
    if msg_type not in REPLY_TYPES:
        return f"unknown reply MsgType {msg_type!r}"
    if msg.get("ToUserName") != openid:
        return "ToUserName is not the citizen's openid"
    if msg.get("FromUserName") != account.original_id:
        return "FromUserName is not the account's original id"
    if not str(msg.get("CreateTime", "")).strip().isdigit():
        return "CreateTime is not an integer"
    if msg_type == "text" and not msg.get("Content"):
        return "text reply without Content"
    if msg_type == "news":
        items = msg.get("Articles")
        if not isinstance(items, list) or not 1 <= len(items) <= 8:
            return "news reply needs 1 to 8 Articles/item"
        if str(msg.get("ArticleCount", "")) != str(len(items)):
            return "ArticleCount does not match the items"
    if msg_type in {"image", "voice"}:
        box = msg.get(msg_type.capitalize())
        if not isinstance(box, dict) or not box.get("MediaId"):
            return f"{msg_type} reply without MediaId"
    return ""
