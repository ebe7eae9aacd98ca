"""Privileges a subscription account does not have, even verified (brief wechat.md §0.1, §1):
web OAuth, parametric QR codes and template messages answer 48001. A verified service account
gets a minimal working answer, enough to exercise the platform's refusal logic both ways."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from zhengwei.simulator.api import Call, endpoint
from zhengwei.simulator.core import next_number
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import SimAccount


@endpoint("cgi-bin/qrcode/create", privilege="qrcode")
def qrcode_create(call: Call):
    action = call.field("action_name")
    if action not in {"QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE"}:
        raise ApiError(40035, "action_name")
    ticket = secrets.token_urlsafe(40)
    result = {"ticket": ticket, "url": f"http://weixin.qq.com/q/{ticket[:22]}"}
    if "LIMIT" not in action:
        seconds = call.field("expire_seconds", int, required=False, default=60)
        result["expire_seconds"] = max(1, min(seconds, 2592000))
    result["show_url"] = f"https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket={quote(ticket)}"
    return result


@endpoint("cgi-bin/message/template/send", privilege="template")
def template_send(call: Call):
    call.field("touser")
    call.field("template_id")
    return {"errcode": 0, "errmsg": "ok", "msgid": next_number(call.account, "msg_id")}


@endpoint(
    "cgi-bin/template/get_all_private_template", methods=("GET", "POST"), privilege="template"
)
def template_list(call: Call):
    return {"template_list": []}


@endpoint("sns/oauth2/access_token", methods=("GET",), token=False)
def oauth_access_token(call: Call):
    """OAuth codes are never issued by the simulator: a subscription account is refused (48001),
    a service account's code is always invalid (40029)."""
    account = SimAccount.objects.filter(app_id=call.query("appid") or "-").first()
    if account is None:
        raise ApiError(40013)
    if call.query("secret") != account.secret:
        raise ApiError(40125)
    if account.is_subscription or not account.verified:
        raise ApiError(48001)
    raise ApiError(40029)
