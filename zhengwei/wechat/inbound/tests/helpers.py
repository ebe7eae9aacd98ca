"""Build callback requests the way WeChat does (signed, optionally encrypted)."""

from __future__ import annotations

import io
import itertools
import time
from urllib.parse import urlencode

from zhengwei.lib.wxcrypto import WXCrypto, make_signature
from zhengwei.lib.wxxml import build_message_xml
from zhengwei.wsgi import application

OPENID = "oCitizen0000000000000000001"
_msg_ids = itertools.count(7_000_000_000_000_000_001)


def text_fields(account, content: str = "你好", *, msg_id: int | None = None, openid=OPENID):
    return {
        "ToUserName": account.original_id,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        "MsgType": "text",
        "Content": content,
        "MsgId": msg_id if msg_id is not None else next(_msg_ids),
    }


def signed_query(account, *, timestamp=None, nonce="123456", encrypt: str | None = None, **extra):
    ts = str(int(time.time()) if timestamp is None else timestamp)
    params = {
        "signature": make_signature(account.token, ts, nonce),
        "timestamp": ts,
        "nonce": nonce,
        "openid": OPENID,
    }
    if encrypt is not None:
        params["encrypt_type"] = "aes"
        params["msg_signature"] = make_signature(account.token, ts, nonce, encrypt)
    params.update(extra)
    return params


def build_request(account, fields: dict, *, mode: str | None = None, **query_extra):
    """(url, body bytes) for a POST in the account's mode (or ``mode``)."""
    mode = mode or account.message_mode
    inner = build_message_xml(fields)
    url = f"/wechat/callback/{account.original_id}/"
    if mode == "plaintext":
        return f"{url}?{urlencode(signed_query(account, **query_extra))}", inner
    crypto = WXCrypto(account.token, account.encoding_aes_key, account.app_id)
    encrypt = crypto.encrypt(inner)
    envelope = {"ToUserName": account.original_id, "Encrypt": encrypt}
    if mode == "compatible":
        envelope = {**fields, "Encrypt": encrypt}
    query = signed_query(account, encrypt=encrypt, **query_extra)
    return f"{url}?{urlencode(query)}", build_message_xml(envelope)


def post(client, account, fields: dict, **kw):
    url, body = build_request(account, fields, **kw)
    return client.post(url, data=body, content_type="text/xml")


def crypto_for(account) -> WXCrypto:
    return WXCrypto(account.token, account.encoding_aes_key, account.app_id)


def wsgi_call(method: str, url: str, body: bytes = b"", **extra) -> tuple[str, dict, bytes]:
    """Call the production WSGI entry point (zhengwei.wsgi, with its lean paths) in process:
    (status line, headers, body). ``extra``: more environ keys (``HTTP_HOST=…``)."""
    path, _, query = url.partition("?")
    captured = {}
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "text/xml",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        **extra,
    }
    chunks = application(
        environ, lambda status, headers: captured.update(status=status, headers=dict(headers))
    )
    answer = b"".join(chunks)
    return captured["status"], captured["headers"], answer
