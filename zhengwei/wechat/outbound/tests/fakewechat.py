"""A small fake of the WeChat API on a random local port, for these tests only.

It behaves like the platform where the tests depend on it: the classic token endpoint issues a
new token on every call and keeps only the previous one valid (the 5-minute overlap), the stable
endpoint returns the same token until force_refresh, every other endpoint checks access_token
(40001 otherwise). Per-path handlers script the rest. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

SECRET = "test-secret"  # the factories' AppSecret


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]
    json: Any = None


@dataclass
class FakeWeChat:
    calls: list[Request] = field(default_factory=list)
    routes: dict[str, Any] = field(default_factory=dict)
    valid_tokens: set[str] = field(default_factory=set)
    stable_token: str = ""
    token_delay: float = 0.0  # widens the window in which processes could race
    _seq: int = 0
    _last: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- control from tests -----------------------------------------------------------------
    def route(self, path: str, answer: Any) -> None:
        """answer: a dict, a callable(Request) -> dict|bytes|int, or a list used in turn."""
        self.routes[path] = answer

    def count(self, path: str) -> int:
        return sum(1 for c in self.calls if c.path == path)

    def requests_to(self, path: str) -> list[Request]:
        return [c for c in self.calls if c.path == path]

    def revoke_tokens(self, *, keep_stable: bool = False) -> None:
        """As if someone else force-refreshed: every token issued so far stops working.
        keep_stable: the stable endpoint still hands out the dead token until force_refresh."""
        with self._lock:
            self.valid_tokens.clear()
            self._last = ""
            if not keep_stable:
                self.stable_token = ""

    def _new_token(self) -> str:
        self._seq += 1
        return f"TOKEN-{self._seq}-" + "x" * 100

    # --- the platform -----------------------------------------------------------------------
    def handle(self, req: Request) -> Any:
        with self._lock:
            self.calls.append(req)
        if req.path in self.routes:
            answer = self.routes[req.path]
            if isinstance(answer, list):
                answer = answer.pop(0) if len(answer) > 1 else answer[0]
            if callable(answer):
                answer = answer(req)
            if answer is not None:
                return answer
        if req.path == "/cgi-bin/token":
            return self._classic(req)
        if req.path == "/cgi-bin/stable_token":
            return self._stable(req)
        if req.query.get("access_token") not in self.valid_tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        return {"errcode": 0, "errmsg": "ok"}

    def _classic(self, req: Request) -> dict:
        time.sleep(self.token_delay)
        if req.query.get("secret") != SECRET:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        with self._lock:
            token = self._new_token()
            # Only the previous token survives, through the 5-minute overlap.
            self.valid_tokens = {
                t for t in (self._last, token) if t in self.valid_tokens or t == token
            }
            self._last = token
        return {"access_token": token, "expires_in": 7200}

    def _stable(self, req: Request) -> dict:
        time.sleep(self.token_delay)
        body = req.json or {}
        if body.get("secret") != SECRET:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        with self._lock:
            if body.get("force_refresh") or not self.stable_token:
                self.valid_tokens.discard(self.stable_token)
                self.stable_token = self._new_token()
                self.valid_tokens.add(self.stable_token)
            return {"access_token": self.stable_token, "expires_in": 7200}

    # --- server -----------------------------------------------------------------------------
    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(
                    self.command, parts.path, dict(parse_qsl(parts.query)), body, dict(self.headers)
                )
                if "json" in self.headers.get("Content-Type", ""):
                    req.json = json.loads(body.decode("utf-8"))
                answer = fake.handle(req)
                if isinstance(answer, int):  # an HTTP status, e.g. 502 from a proxy
                    self.send_response(answer)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if isinstance(answer, bytes):
                    payload, kind = answer, "application/octet-stream"
                else:  # WeChat answers JSON as text/plain without a charset
                    payload, kind = json.dumps(answer, ensure_ascii=False).encode(), "text/plain"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that timed out closed the socket: expected in timeout tests

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
