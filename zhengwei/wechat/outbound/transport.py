"""One HTTP exchange with the WeChat API: timeouts, bounded retries, logging, error mapping.

No token handling here (the client adds it), so that the token authority can use the same
transport for the token endpoints themselves.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from typing import Any

import requests
from django.conf import settings
from urllib3.exceptions import NewConnectionError

from zhengwei.wechat.outbound import circuit, limits
from zhengwei.wechat.outbound.errors import SystemBusy, WeChatNetworkError, error_for
from zhengwei.wechat.outbound.models import ApiCall

log = logging.getLogger("zhengwei.wechat.api")
_local = threading.local()
_SECRET_PARAMS = re.compile(r"(access_token|secret)=[^&\s'\"]+")


def _session() -> requests.Session:
    # One pooled session per thread: keep-alive to WeChat without sharing across threads.
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        session.headers["User-Agent"] = "zhengwei"
    return session


def encode_json(body: Any) -> bytes:
    # WeChat stores \\uXXXX escapes literally: titles and texts must go out as raw UTF-8.
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode(response: requests.Response, raw: bool) -> dict | bytes:
    body = response.content
    # Downloads (media/get) answer with the file; errors always come back as a JSON object.
    if raw and not body.lstrip().startswith(b"{"):
        return body
    try:
        # WeChat often omits the charset; the body is UTF-8 whatever requests would guess.
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        if raw:
            return body
        raise


def _record(account, method, endpoint, attempt, errcode, error, started) -> None:
    duration_ms = int((time.monotonic() - started) * 1000)
    log.info(
        "wechat %s %s account=%s attempt=%d errcode=%s %s %dms",
        method,
        endpoint,
        getattr(account, "pk", None),
        attempt,
        errcode,
        error,
        duration_ms,
    )
    try:
        ApiCall.objects.create(
            account=account,
            method=method,
            endpoint=endpoint[:100],
            attempt=attempt,
            errcode=errcode,
            error=error[:100],
            duration_ms=duration_ms,
        )
    except Exception:  # bookkeeping must never turn a successful call into a failure
        log.exception("could not record the WeChat API call")


def _redact(text: str) -> str:
    # requests puts the URL in its messages; the query holds the token (and the AppSecret on
    # the classic token endpoint), and these messages reach logs, audit notes and the console.
    return _SECRET_PARAMS.sub(r"\1=***", text)


def _never_sent(exc: Exception) -> bool:
    """True when the request certainly did not reach WeChat, so even a send may be retried."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def _backoff(attempt: int, conf: dict) -> float:
    # Exponential with jitter, so that many workers do not retry in lock-step.
    base = conf["backoff_seconds"] * 2 ** (attempt - 1)
    return min(conf["backoff_max_seconds"], base) * (0.5 + random.random() / 2)


def request(
    method: str,
    endpoint: str,
    *,
    account=None,
    params: dict | None = None,
    json_body: Any = None,
    files: dict | None = None,
    data: dict | None = None,
    idempotent: bool = False,
    raw: bool = False,
) -> dict | bytes:
    """Call ``endpoint`` (a path such as /cgi-bin/menu/create) and return the decoded answer.

    Retries errcode -1 and network failures with backoff, up to ``http.attempts`` in all. A
    request that may already have reached WeChat (read timeout, dropped connection) is retried
    only when ``idempotent``: sending a citizen the same message twice is worse than failing.
    While the account's circuit is open nothing is sent (``CircuitOpen``); the outcome of each
    call feeds the circuit (circuit.py).
    """
    circuit.before_call(account, endpoint)
    conf = limits.get("http")
    url = settings.WECHAT_API_BASE + endpoint
    headers = {}
    payload = None
    if json_body is not None:
        payload = encode_json(json_body)
        headers["Content-Type"] = "application/json; charset=utf-8"
    attempts = max(1, int(conf["attempts"]))
    for attempt in range(1, attempts + 1):
        started = time.monotonic()
        try:
            response = _session().request(
                method,
                url,
                params=params,
                data=payload if payload is not None else data,
                files=files,
                headers=headers,
                timeout=settings.WECHAT_HTTP_TIMEOUT,
            )
            response.raise_for_status()  # WeChat itself answers 200; others are proxies failing
            result = _decode(response, raw)
        except (requests.RequestException, ValueError) as exc:
            _record(account, method, endpoint, attempt, None, type(exc).__name__, started)
            if (idempotent or _never_sent(exc)) and attempt < attempts:
                time.sleep(_backoff(attempt, conf))
                continue
            error = WeChatNetworkError(None, _redact(str(exc))[:200], endpoint=endpoint)
            error.maybe_delivered = not _never_sent(exc)
            circuit.record_failure(account, f"{endpoint}: {type(exc).__name__}")
            raise error from exc
        errcode = result.get("errcode", 0) if isinstance(result, dict) else 0
        errcode = int(errcode or 0)
        _record(account, method, endpoint, attempt, errcode, "", started)
        if errcode == -1 and attempt < attempts:
            time.sleep(_backoff(attempt, conf))
            continue
        if errcode:
            error = error_for(errcode, str(result.get("errmsg", "")), endpoint=endpoint)
            if isinstance(error, SystemBusy):
                log.warning("wechat %s still busy after %d attempts", endpoint, attempts)
                circuit.record_failure(account, f"{endpoint}: errcode -1")
            else:
                circuit.record_success(account)  # WeChat answered: the service is up
            raise error
        circuit.record_success(account)
        return result
    raise AssertionError("unreachable")
