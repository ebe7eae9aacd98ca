"""The simulated WeChat HTTP API under /sim/api/: ``{WECHAT_API_BASE}/cgi-bin/...`` as the real
platform answers it — JSON errcode/errmsg with HTTP 200, the access token checked on every call
(41001 missing, 40001 invalid or replaced, 42001 expired), privileges per account type (48001).

Endpoints register themselves with :func:`endpoint`; the modules of this package are imported
below so that importing ``zhengwei.simulator.api`` registers all of them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from zhengwei.simulator import tokens
from zhengwei.simulator.deliveries import dispatcher
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import SimAccount
from zhengwei.simulator.privileges import allowed
from zhengwei.simulator.router import alias
from zhengwei.simulator.seed import ensure_seeded

M = TypeVar("M", bound=models.Model)

log = logging.getLogger("zhengwei.simulator.api")


@dataclass(frozen=True)
class Endpoint:
    path: str
    func: Callable[[Call], Any]
    methods: tuple[str, ...]
    token: bool
    privilege: str | None
    denied: int


REGISTRY: dict[str, Endpoint] = {}


def endpoint(
    path: str,
    *,
    methods: tuple[str, ...] = ("POST",),
    token: bool = True,
    privilege: str | None = None,
    denied: int = 48001,
):
    def register(func):
        REGISTRY[path] = Endpoint(path, func, methods, token, privilege, denied)
        return func

    return register


class Call:
    """One API request as an endpoint sees it."""

    def __init__(self, request: HttpRequest, path: str) -> None:
        self.request = request
        self.path = path
        self.account: SimAccount | None = None
        self.now = timezone.now()
        self.limits = limits()
        self._json: Any = None

    def query(self, name: str) -> str | None:
        return self.request.GET.get(name)

    def json(self) -> dict[str, Any]:
        if self._json is None:
            raw = self.request.body
            if not raw.strip():
                raise ApiError(44002)
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise ApiError(47001, f"invalid json: {exc}") from None
            if not isinstance(data, dict):
                raise ApiError(47001, "body must be a JSON object")
            self._json = data
        return self._json

    def field(self, name: str, kind: type = str, *, required: bool = True, default=None):
        """A top-level JSON field of the given type; 47001 when malformed, 40035 when missing."""
        body = self.json()
        if name not in body or body[name] is None:
            if required:
                raise ApiError(47001, f"missing {name}")
            return default
        value = body[name]
        if kind is int:
            if isinstance(value, bool):
                raise ApiError(47001, f"{name} must be a number")
            try:
                return int(value)
            except (TypeError, ValueError):
                raise ApiError(47001, f"{name} must be a number") from None
        if kind is str:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return str(value)
            if not isinstance(value, str):
                raise ApiError(47001, f"{name} must be a string")
            return value
        if not isinstance(value, kind):
            raise ApiError(47001, f"{name} has the wrong type")
        return value

    def own(self, model: type[M], field: str) -> M:
        """The account's ``model`` row whose ``field`` is the request's (a number); 40035 when
        it has none."""
        value = self.field(field, int)
        row = model.objects.filter(account=self.account, **{field: value}).first()
        if row is None:
            raise ApiError(40035, f"unknown {field}")
        return row


def json_response(data: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json; encoding=utf-8",
    )


def ok(**extra) -> dict:
    return {"errcode": 0, "errmsg": "ok", **extra}


def enabled() -> bool:
    return bool(settings.SIMULATOR_ENABLED)


@csrf_exempt
def api_view(request: HttpRequest, path: str) -> HttpResponse:
    if not enabled():
        raise Http404

    ensure_seeded()
    dispatcher.start()
    ep = REGISTRY.get(path.strip("/"))
    if ep is None:
        return json_response(ApiError(40066, path).payload(), status=404)
    try:
        if request.method not in ep.methods:
            raise ApiError(43002 if "POST" in ep.methods else 43001)
        call = Call(request, ep.path)
        if ep.token:
            call.account = tokens.check(request.GET.get("access_token")).account
            if not allowed(call.account, ep.privilege):
                raise ApiError(ep.denied)
        with transaction.atomic(using=alias()):
            result = ep.func(call)
    except ApiError as exc:
        log.info("sim api %s -> %s", ep.path, exc.code)
        result = exc.payload()
    except Exception:  # a bug here must look like WeChat's "system error", not an HTML 500
        log.exception("sim api %s crashed", ep.path)
        result = ApiError(-1).payload()
    if isinstance(result, HttpResponse):
        return result
    return json_response(result)


# Register every endpoint.
from zhengwei.simulator.api import (  # noqa: E402,F401
    base,
    comments,
    content,
    datacube,
    media,
    menu,
    messages,
    service_only,
    users,
)
