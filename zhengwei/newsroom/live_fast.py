"""The lean WSGI path for the public live page (图文直播), mounted by zhengwei/wsgi.py.

A typhoon night brings many anonymous readers to ``/live/<slug>/`` and its ``feed/`` (which the
page polls). They need no session, user, CSRF token, messages or URL resolver, and Django's full
request path (request object, 15 middleware) costs several times the page itself. Once Django has
rendered a page, or a writer has after a change (``live_cache``), its ETag and HTML sit in the
shared cache; this handler answers from that copy (kept a second in the process: live_cache)
with the headers the full stack gives the same page (Content-Security-Policy with a fresh nonce,
the security headers, ETag, Cache-Control, Vary, Content-Language; test_live_fast_path.py
compares them) and 304 for a matching If-None-Match.

Whenever it is not sure, Django answers: no copy yet, a method other than GET, a query
string, a session cookie (a signed-in person's own language decides), a host not allowed, plain
HTTP where HTTPS is required, a forwarded host. ``answer`` returns None in those cases.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host

from zhengwei.lib.headers import PERMISSIONS_POLICY, content_security_policy
from zhengwei.newsroom import live_cache

PREFIX = "/live/"
_PATH = re.compile(r"^/live/([-a-zA-Z0-9_]+)/(feed/)?$")


def _host_allowed(environ) -> bool:
    host = environ.get("HTTP_HOST") or ""
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def _secure(environ) -> bool:
    if settings.SECURE_PROXY_SSL_HEADER:
        name, value = settings.SECURE_PROXY_SSL_HEADER
        if environ.get(name, "").split(",")[0].strip() == value:
            return True
    return environ.get("wsgi.url_scheme") == "https"


def _language(environ) -> str | None:
    """The language Django would choose for an anonymous reader; None for a signed-in one."""
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return settings.LANGUAGE_CODE
    cookies = parse_cookie(raw)
    if settings.SESSION_COOKIE_NAME in cookies:
        return None
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    return (
        chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
    )


def headers(*, etag: str, language: str, html: bool, secure: bool) -> list[tuple[str, str]]:
    """What Django's middleware and the live views put on the page (zhengwei.lib.headers,
    SecurityMiddleware, XFrameOptionsMiddleware, the locale and session middleware)."""
    out = [("ETag", etag), ("Cache-Control", live_cache.cache_control())]
    if html:
        out.insert(0, ("Content-Type", f"text/html; charset={settings.DEFAULT_CHARSET}"))
        if settings.CSP_ENABLED:
            name = (
                "Content-Security-Policy-Report-Only"
                if settings.CSP_REPORT_ONLY
                else "Content-Security-Policy"
            )
            out.append((name, content_security_policy(secrets.token_urlsafe(16))))
    out += [
        ("X-Frame-Options", settings.X_FRAME_OPTIONS.upper()),
        ("Vary", "Accept-Language, Cookie"),
        ("Content-Language", language),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        out.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        out.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        out.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if secure and settings.SECURE_HSTS_SECONDS:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        out.append(("Strict-Transport-Security", sts))
    return out


def answer(environ, start_response):
    """The response body (an iterable), or None: Django answers this request."""
    method = environ.get("REQUEST_METHOD")
    match = _PATH.match(environ.get("PATH_INFO", ""))
    if match is None or method != "GET" or environ.get("QUERY_STRING"):
        return None
    if settings.USE_X_FORWARDED_HOST or not _host_allowed(environ):
        return None
    secure = _secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    language = _language(environ)
    if language is None:
        return None
    slug, part = match.group(1), "feed" if match.group(2) else "page"
    hit = live_cache.served(slug, part, language)
    if hit is None:
        return None
    etag, body = hit
    if environ.get("HTTP_IF_NONE_MATCH") == etag:
        start_response(
            "304 Not Modified",
            [
                *headers(etag=etag, language=language, html=False, secure=secure),
                ("Content-Length", "0"),
            ],
        )
        return [b""]
    start_response(
        "200 OK",
        [
            *headers(etag=etag, language=language, html=True, secure=secure),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]
