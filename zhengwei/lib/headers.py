"""Security headers Django does not set itself: Content-Security-Policy with a per-request nonce,
Permissions-Policy, and ``Cache-Control: no-store`` on dynamic responses.

The policy (ASVS 3.4.3): scripts and style sheets only from this site, an inline ``<script>`` or
``<style>`` only with this response's nonce (``nonce="{{ request.csp_nonce }}"``), no inline event
handlers (``onclick=`` …), no ``javascript:`` URLs and no ``eval``. Behaviour lives in static files
wired with data attributes (``zhengwei/static/js/behaviour.js``: ``data-confirm``,
``data-autosubmit``). Inline ``style="…"`` attributes stay allowed (``style-src-attr``): they carry
no script. ``CSP_REPORT_ONLY=true`` sends the policy as report-only (to try a change on a live
site without breaking it).

Dynamic pages carry personal data (reports, conversations): no shared or browser cache may keep
them (``no-store``) unless the view chose its own Cache-Control. Static files are served before
this middleware (WhiteNoise) with their own caching.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in url:  # Leaflet's subdomain placeholder: allow every subdomain letter
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


def content_security_policy(nonce: str) -> str:
    img = ["'self'", "data:", "blob:", "https:"]
    tiles = _origin(getattr(settings, "MAP_TILE_URL", "") or "")
    if tiles and tiles not in img:
        img.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": img,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(self), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if settings.CSP_ENABLED and response.get("Content-Type", "").startswith("text/html"):
            header = (
                "Content-Security-Policy-Report-Only"
                if settings.CSP_REPORT_ONLY
                else "Content-Security-Policy"
            )
            response.headers.setdefault(header, content_security_policy(request.csp_nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
