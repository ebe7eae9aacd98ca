"""The JS-SDK ticket authority and wx.config signing (reference wechat.md §4.2).

The jsapi_ticket works like the access token (tokens.py) and is guarded the same way:

- it lives in the database (JsapiTicket, sealed), read by every process;
- only one process fetches it, under a lock: a Redis lock when REDIS_URL is set, otherwise a
  lease on the JsapiTicket row claimed with a conditional UPDATE (no transaction is held open
  across the HTTP call);
- whoever gets the lock re-reads the row first, so processes that queued behind a fetch reuse
  its ticket instead of fetching again.

The fetch goes through WeChatClient, which adds the shared access token (and refreshes it once
if WeChat rejects it). Timing settings (refresh margin, lock wait and expiry) are the token's
(``limits.get("token")``).
"""

from __future__ import annotations

import logging
import secrets
import string
import time
from datetime import timedelta

from django.utils import timezone

from zhengwei.lib.wxcrypto import jsapi_signature
from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound import leases, limits
from zhengwei.wechat.outbound.client import WeChatClient
from zhengwei.wechat.outbound.models import JsapiTicket
from zhengwei.wechat.outbound.privileges import Capability as C

log = logging.getLogger("zhengwei.wechat.token")

GETTICKET = "/cgi-bin/ticket/getticket"
# The H5 report form needs only the location; more can be asked for per call.
DEFAULT_JS_API_LIST = ("getLocation",)
_NONCE_ALPHABET = string.ascii_letters + string.digits


def _usable(row: JsapiTicket | None, conf: dict) -> bool:
    margin = timedelta(seconds=conf["margin_seconds"])
    return bool(row and row.ticket_sealed and row.expires_at - timezone.now() > margin)


def get_jsapi_ticket(account: WeChatAccount) -> str:
    """The account's current jsapi_ticket; fetched only when none is stored or it is nearly
    expired, and then by one process for all."""
    conf = limits.get("token")
    row = JsapiTicket.objects.filter(account_id=account.pk).first()
    if _usable(row, conf):
        return row.ticket
    with leases.exclusive(JsapiTicket, account, conf, name="jsapi_ticket", defaults=None) as row:
        if _usable(row, conf):
            return row.ticket  # fetched by someone else while we waited
        ticket, expires_in = _fetch(account)
        now = timezone.now()
        row.ticket = ticket
        row.expires_at = now + timedelta(seconds=expires_in)
        row.fetched_at = now
        row.fetch_count += 1
        # Not the lease fields: only the lease's owner releases it.
        row.save(update_fields=["ticket_sealed", "expires_at", "fetched_at", "fetch_count"])
        log.info("wechat jsapi_ticket refreshed account=%s", account.pk)
        return ticket


def jsapi_config(
    account: WeChatAccount,
    url: str,
    *,
    js_api_list: list[str] | tuple[str, ...] = DEFAULT_JS_API_LIST,
    timestamp: int | None = None,
    noncestr: str | None = None,
) -> dict:
    """The arguments of ``wx.config`` for the page at ``url`` (its fragment is dropped).

    The signature covers exactly the timestamp and nonceStr returned, so the page must pass
    them unchanged.
    """
    url = url.split("#", 1)[0]
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    noncestr = noncestr or "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(16))
    ticket = get_jsapi_ticket(account)
    return {
        "appId": account.app_id,
        "timestamp": timestamp,
        "nonceStr": noncestr,
        "signature": jsapi_signature(ticket, noncestr, timestamp, url),
        "jsApiList": list(js_api_list),
    }


def _fetch(account: WeChatAccount) -> tuple[str, int]:
    # JS-SDK is open to every account type, verified or not (reference §4.2).
    result = WeChatClient(account).get(GETTICKET, capability=C.BASIC, params={"type": "jsapi"})
    return result["ticket"], int(result.get("expires_in", 7200))
