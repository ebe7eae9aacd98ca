"""Test helpers: a tiny local HTTP server standing in for the platform's callback, and a client
for the simulated API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from wechatpy import parse_message as wp_parse
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature as wp_check_signature


class Receiver:
    """An HTTP server on a free loopback port. ``handler(params, body) -> (status, bytes)``
    answers each POST; every request is kept in ``requests``."""

    def __init__(self, handler: Callable[[dict, bytes], tuple[int, bytes]] | None = None):
        self.handler = handler or (lambda params, body: (200, b"success"))
        self.requests: list[tuple[str, dict, bytes]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                params = dict(parse_qsl(parts.query, keep_blank_values=True))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests.append((parts.path, params, body))
                status, answer = receiver.handler(params, body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as WeChat does after 5 s

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.requests) >= count:
                    return True
            time.sleep(0.02)
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Api:
    """Calls /sim/api/... through Django's test client and returns the decoded JSON."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = ""

    def login(self, account) -> str:
        """A stable token for ``account`` (again after time travel past its expiry)."""
        self.token = self.post(
            "cgi-bin/stable_token",
            {"grant_type": "client_credential", "appid": account.app_id, "secret": account.secret},
            token=False,
        )["access_token"]
        return self.token

    def _url(self, path: str, token: bool, params: dict | None = None) -> tuple[str, dict]:
        query = dict(params or {})
        if token:
            query.setdefault("access_token", self.token)
        return f"/sim/api/{path}", query

    def get(self, path: str, params: dict | None = None, *, token: bool = True) -> dict:
        url, query = self._url(path, token, params)
        return self._decode(self.client.get(url, query))

    def post(self, path: str, body: dict | None = None, *, token: bool = True, **params) -> dict:
        url, query = self._url(path, token, params)
        if query:
            url += "?" + urlencode(query)
        response = self.client.post(
            url, data=json.dumps(body or {}, ensure_ascii=False), content_type="application/json"
        )
        return self._decode(response)

    def upload(self, path: str, data: bytes, filename: str = "a.jpg", form=None, **params):
        url, query = self._url(path, True, params)
        fields = {"media": SimpleUploadedFile(filename, data), **(form or {})}
        return self._decode(self.client.post(f"{url}?{urlencode(query)}", fields))

    @staticmethod
    def _decode(response):
        assert response.status_code == 200, response.status_code
        if response["Content-Type"].startswith("application/json"):
            return json.loads(response.content)
        return response


class WechatpyCallback:
    """A platform written with wechatpy: checks every signature, decrypts, answers text with an
    encrypted passive reply and everything else with ``success``."""

    def __init__(self, account):
        self.account = account
        self.crypto = WeChatCrypto(account.token, account.aes_key, account.app_id)
        self.messages = []
        self.params = []

    def __call__(self, params, body):
        self.params.append(params)
        try:
            wp_check_signature(
                self.account.token, params["signature"], params["timestamp"], params["nonce"]
            )
        except InvalidSignatureException:
            return 403, b"bad signature"
        if params.get("encrypt_type") == "aes":
            xml = self.crypto.decrypt_message(
                body, params["msg_signature"], params["timestamp"], params["nonce"]
            )
        else:
            xml = body.decode()
        message = wp_parse(xml)
        self.messages.append(message)
        if message.type != "text":
            return 200, b"success"
        reply = TextReply(message=message, content=f"收到：{message.content}").render()
        if params.get("encrypt_type") == "aes":
            reply = self.crypto.encrypt_message(reply, params["nonce"], params["timestamp"])
        return 200, reply.encode()
