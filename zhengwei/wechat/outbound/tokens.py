"""The access-token authority: one token per account, shared by every process.

The first production failure of WeChat integrations is each worker fetching its own token and,
on the classic endpoint, invalidating everybody else's (reference wechat.md §0.3, §6.1). Here:

- the token lives in the database (AccessToken), read by every process;
- only one process refreshes, under a lock: a Redis lock when REDIS_URL is set, otherwise a
  lease on the AccessToken row claimed with a conditional UPDATE (no transaction is held open
  across the HTTP call);
- whoever gets the lock re-reads the row first, so processes that queued behind a refresh reuse
  its token instead of fetching again;
- ``invalidate`` (after 40001/40014/42001) is compare-and-refresh: it refreshes only if the
  stored token is still the bad one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound import leases, limits, transport
from zhengwei.wechat.outbound.errors import InvalidToken
from zhengwei.wechat.outbound.models import AccessToken, TokenMode

log = logging.getLogger("zhengwei.wechat.token")


def _mode() -> str:
    return settings.WECHAT_TOKEN_MODE


def _usable(row: AccessToken | None, conf: dict) -> bool:
    margin = timedelta(seconds=conf["margin_seconds"])
    return bool(
        row
        and row.token_sealed
        and row.mode == _mode()  # stable and classic tokens are separate credentials
        and row.expires_at - timezone.now() > margin
    )


def get_token(account: WeChatAccount) -> str:
    """The account's current token; fetched only when none is stored or it is nearly expired."""
    conf = limits.get("token")
    row = AccessToken.objects.filter(account_id=account.pk).first()
    if _usable(row, conf):
        return row.token
    return _refresh(account, bad=None)


def invalidate(account: WeChatAccount, bad_token: str) -> str:
    """WeChat rejected ``bad_token``: return a good one, refreshing at most once for it."""
    return _refresh(account, bad=bad_token)


def _refresh(account: WeChatAccount, *, bad: str | None) -> str:
    conf = limits.get("token")
    with leases.exclusive(
        AccessToken, account, conf, name="token", defaults={"mode": _mode()}
    ) as row:
        current = row.token if row.token_sealed else ""
        if _usable(row, conf) and current != bad:
            return current  # refreshed by someone else while we waited
        token, expires_in = _fetch(account, force=False)
        if bad and token == bad:
            # Only the stable endpoint can hand back the token WeChat just rejected.
            token, expires_in = _force_refresh(account, row, conf)
        now = timezone.now()
        row.token = token
        row.expires_at = now + timedelta(seconds=int(expires_in))
        row.mode = _mode()
        row.fetched_at = now
        row.fetch_count += 1
        row.save()
        log.info("wechat token refreshed account=%s mode=%s", account.pk, row.mode)
        return token


def _force_refresh(account: WeChatAccount, row: AccessToken, conf: dict) -> tuple[str, int]:
    now = timezone.now()
    today = timezone.localdate(now)
    count = row.force_refresh_count if row.force_refresh_day == today else 0
    too_soon = row.last_force_refresh_at and (now - row.last_force_refresh_at) < timedelta(
        seconds=conf["force_refresh_min_interval_seconds"]
    )
    if count >= conf["force_refresh_per_day"] or too_soon:
        raise InvalidToken(
            40001, "force_refresh budget reached", endpoint="/cgi-bin/stable_token", local=True
        )
    token, expires_in = _fetch(account, force=True)
    row.force_refresh_day = today
    row.force_refresh_count = count + 1
    row.last_force_refresh_at = now
    log.warning("wechat token force-refreshed account=%s (%d today)", account.pk, count + 1)
    return token, expires_in


def _fetch(account: WeChatAccount, *, force: bool) -> tuple[str, int]:
    if _mode() == TokenMode.CLASSIC:
        # Each call invalidates the previous token after a 5-minute overlap: only here, under
        # the lock, may it be called.
        result = transport.request(
            "GET",
            "/cgi-bin/token",
            account=account,
            params={
                "grant_type": "client_credential",
                "appid": account.app_id,
                "secret": account.app_secret,
            },
            idempotent=True,
        )
    else:
        result = transport.request(
            "POST",
            "/cgi-bin/stable_token",
            account=account,
            json_body={
                "grant_type": "client_credential",
                "appid": account.app_id,
                "secret": account.app_secret,
                "force_refresh": force,
            },
            # Normal mode returns the same token however often it is asked; force does not.
            idempotent=not force,
        )
    return result["access_token"], int(result.get("expires_in", 7200))
