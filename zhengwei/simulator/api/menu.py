"""Custom menu (brief wechat.md §3.2): 1..3 top-level buttons, 1..5 sub-buttons, names ≤16 / ≤60
bytes, keys ≤128 bytes, URLs ≤1024 bytes, the live platform's error code for each rule."""

from __future__ import annotations

import copy

from zhengwei.simulator.api import Call, endpoint, ok
from zhengwei.simulator.core import bump, count_of, next_number
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import SimArticle, SimMedia

KEY_TYPES = frozenset(
    {
        "click",
        "scancode_push",
        "scancode_waitmsg",
        "pic_sysphoto",
        "pic_photo_or_album",
        "pic_weixin",
        "location_select",
    }
)
TYPES = KEY_TYPES | {
    "view",
    "media_id",
    "view_limited",
    "article_id",
    "article_view_limited",
    "miniprogram",
}

# (top-level code, sub-button code) for each rule, as the live platform numbers them.
CODES = {
    "type": (40017, 40024),
    "name": (40018, 40025),
    "key": (40019, 40026),
    "url": (40020, 40027),
}


def _bytes(value) -> int:
    return len(str(value).encode("utf-8"))


def _check_leaf(call: Call, button: dict, sub: bool) -> None:
    conf = call.limits["menu"]
    level = 1 if sub else 0
    btype = button.get("type")
    if btype not in TYPES:
        raise ApiError(CODES["type"][level], f"type {btype!r}")
    if btype in KEY_TYPES:
        key = button.get("key")
        if not isinstance(key, str) or not key or _bytes(key) > conf["key_bytes"]:
            raise ApiError(CODES["key"][level])
    if btype in {"view", "miniprogram"}:
        url = button.get("url")
        if (
            not isinstance(url, str)
            or not url.startswith(("http://", "https://"))
            or _bytes(url) > conf["url_bytes"]
        ):
            raise ApiError(CODES["url"][level])
    if btype == "miniprogram" and not (button.get("appid") and button.get("pagepath")):
        raise ApiError(40035, "miniprogram needs appid and pagepath")
    if btype in {"media_id", "view_limited"}:
        media_id = button.get("media_id")
        if not SimMedia.objects.filter(
            account=call.account, media_id=media_id, permanent=True, deleted=False
        ).exists():
            raise ApiError(40007)
    if btype in {"article_id", "article_view_limited"}:
        if not SimArticle.objects.filter(
            account=call.account, article_id=button.get("article_id") or "-", deleted=False
        ).exists():
            raise ApiError(53600)


def _check_name(call: Call, button: dict, sub: bool) -> None:
    limit = call.limits["menu"]["sub_name_bytes" if sub else "top_name_bytes"]
    name = button.get("name")
    if not isinstance(name, str) or not name or _bytes(name) > limit:
        raise ApiError(CODES["name"][1 if sub else 0], f"name {name!r}")


def validate_menu(call: Call, body: dict) -> list[dict]:
    conf = call.limits["menu"]
    buttons = body.get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= conf["top_level_max"]:
        raise ApiError(40016)
    for button in buttons:
        if not isinstance(button, dict):
            raise ApiError(47001, "button must be an object")
        _check_name(call, button, sub=False)
        subs = button.get("sub_button")
        if subs:  # an empty list means a plain button, as on the live platform
            if not isinstance(subs, list) or len(subs) > conf["sub_button_max"]:
                raise ApiError(40023)
            for sub in subs:
                if not isinstance(sub, dict):
                    raise ApiError(47001, "sub_button must hold objects")
                _check_name(call, sub, sub=True)
                _check_leaf(call, sub, sub=True)
        else:
            _check_leaf(call, button, sub=False)
    return buttons


@endpoint("cgi-bin/menu/create", privilege="menu")
def create(call: Call):
    account = call.account
    if count_of(account, "menu:create") >= call.limits["menu"]["daily_create"]:
        raise ApiError(45009)
    buttons = validate_menu(call, call.json())
    bump(account, "menu:create")
    stored = copy.deepcopy(buttons)
    for button in stored:
        button.setdefault("sub_button", [])
    account.menu = {"button": stored}
    account.menu_id = next_number(account, "menu_id")
    account.save(update_fields=["menu", "menu_id"])
    return ok()


@endpoint("cgi-bin/menu/get", methods=("GET", "POST"), privilege="menu")
def get(call: Call):
    account = call.account
    if not account.menu:
        raise ApiError(46003)
    return {"menu": {**account.menu, "menuid": account.menu_id}}


@endpoint("cgi-bin/menu/delete", methods=("GET", "POST"), privilege="menu")
def delete(call: Call):
    account = call.account
    account.menu, account.menu_id = None, None
    account.save(update_fields=["menu", "menu_id"])
    return ok()
