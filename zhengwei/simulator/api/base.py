"""Credentials and platform basics: token, stable_token, getcallbackip, quota, jsapi ticket."""

from __future__ import annotations

import secrets

from django.utils import timezone

from zhengwei.simulator import tokens
from zhengwei.simulator.api import Call, endpoint, ok
from zhengwei.simulator.core import bump, count_of, today
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import SimAccount, SimCounter


@endpoint("cgi-bin/token", methods=("GET",), token=False)
def token(call: Call):
    return tokens.classic_token(call.query("grant_type"), call.query("appid"), call.query("secret"))


@endpoint("cgi-bin/stable_token", methods=("POST",), token=False)
def stable_token(call: Call):
    # JSON only: a form-encoded body is "data format error", as on the live platform.
    return tokens.stable_token(call.json())


@endpoint("cgi-bin/getcallbackip", methods=("GET", "POST"))
def getcallbackip(call: Call):
    return {"ip_list": list(call.limits["callback_ips"])}


@endpoint("cgi-bin/get_api_domain_ip", methods=("GET", "POST"))
def get_api_domain_ip(call: Call):
    return {"ip_list": list(call.limits["callback_ips"])}


def _clear(account: SimAccount) -> None:
    """Reset today's API call counts (not the mass-send quota), 10 times a month."""
    month_start = today().replace(day=1)
    used = sum(
        SimCounter.objects.filter(
            account=account, name="clear_quota", day__gte=month_start
        ).values_list("count", flat=True)
    )
    if used >= int(limits()["clear_quota_monthly"]):
        raise ApiError(48006)
    bump(account, "clear_quota")
    SimCounter.objects.filter(account=account, day=today()).exclude(
        name__in=["clear_quota", "mass:sendall"]
    ).update(count=0)


@endpoint("cgi-bin/clear_quota")
def clear_quota(call: Call):
    if call.field("appid") != call.account.app_id:
        raise ApiError(40013)
    _clear(call.account)
    return ok()


@endpoint("cgi-bin/clear_quota/v2", token=False)
def clear_quota_v2(call: Call):
    appid = call.field("appid")
    account = SimAccount.objects.filter(app_id=appid).first()
    if account is None:
        raise ApiError(40013)
    if call.field("appsecret") != account.secret:
        raise ApiError(40125)
    _clear(account)
    return ok()


QUOTA_NAMES = {
    "/cgi-bin/token": ("token:classic", "classic_daily_quota"),
    "/cgi-bin/stable_token": ("token:stable", "stable_daily_quota"),
}


@endpoint("cgi-bin/openapi/quota/get")
def quota_get(call: Call):
    path = call.field("cgi_path")
    if path not in QUOTA_NAMES:
        raise ApiError(40035, "cgi_path")
    name, limit_key = QUOTA_NAMES[path]
    limit = int(call.limits["token"][limit_key])
    used = count_of(call.account, name)
    return ok(quota={"daily_limit": limit, "used": used, "remain": max(0, limit - used)})


@endpoint("cgi-bin/ticket/getticket", methods=("GET", "POST"))
def getticket(call: Call):
    kind = call.query("type") or "jsapi"
    if kind not in {"jsapi", "wx_card"}:
        raise ApiError(40035, "type")
    # A fresh ticket per call is enough for the simulator; clients must cache it anyway.
    stamp = int(timezone.now().timestamp())
    return ok(ticket=f"sim{stamp}_{secrets.token_urlsafe(60)}", expires_in=7200)
