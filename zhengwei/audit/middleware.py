from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from zhengwei.lib.netaddr import client_ip as from_headers


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_agent: str


# A context variable, not a global: each request (thread or task) sees only its own.
current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "zhengwei_request", default=None
)


def client_ip(request: HttpRequest) -> str | None:
    return from_headers(
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        request.META.get("REMOTE_ADDR"),
        settings.AXES_IPWARE_PROXY_COUNT,
    )


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = current.set(
            RequestContext(
                ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200]
            )
        )
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
