"""The client's address behind a known number of reverse proxies."""

from __future__ import annotations


def client_ip(forwarded_for: str, remote_addr: str | None, proxy_count: int) -> str | None:
    """Trust X-Forwarded-For only as far as our own proxies (PROXY_COUNT) append to it: the
    hop they recorded is the client; anything further left was written by the client itself."""
    if proxy_count:
        hops = [p.strip() for p in (forwarded_for or "").split(",") if p.strip()]
        if len(hops) >= proxy_count:
            return hops[-proxy_count]
    return remote_addr or None
