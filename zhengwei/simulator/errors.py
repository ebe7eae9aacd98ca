"""WeChat's error codes as the simulator returns them: JSON ``errcode``/``errmsg`` with HTTP 200,
errmsg in WeChat's own English wording followed by `` rid: …`` as the live platform does."""

from __future__ import annotations

import secrets

# errcode -> errmsg (wording of the live platform where known; wechatpy constants.py).
MESSAGES: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40004: "invalid media type",
    40005: "invalid file type",
    40006: "invalid meida size",
    40007: "invalid media_id",
    40008: "invalid message type",
    40009: "invalid image size",
    40010: "invalid voice size",
    40011: "invalid video size",
    40012: "invalid thumb size",
    40013: "invalid appid",
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40023: "invalid sub button size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40029: "invalid code",
    40035: "invalid args",
    40066: "invalid url",
    40125: "invalid appsecret",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    43004: "require subscribe",
    44002: "empty post data",
    44003: "empty news data",
    44004: "empty content",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45005: "url size out of limit",
    45008: "article size out of limit",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit mustslower retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45028: "has no masssend quota",
    45047: "out of response count limit",
    45065: "clientmsgid exist",
    45067: "clientmsgid size out of limit",
    45110: "author size out of limit",
    46003: "menu no exist",
    47001: "data format error",
    48001: "api unauthorized",
    48006: "forbid to clear quota because of reaching the limit",
    53600: "Article ID 无效",
    61500: "date format error",
    61501: "date range error",
    88000: "without comment privilege",
    88001: "msg_data is not exists",
    88003: "elected comment upper limit",
    88005: "already reply",
    88007: "reply content beyond max len or content len is zero",
    88008: "comment is not exists",
    88010: "count range error. cout <= 0 or count > 50",
}


def rid() -> str:
    return f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


class ApiError(Exception):
    """Raised by an endpoint; becomes ``{"errcode": code, "errmsg": "... rid: ..."}``."""

    def __init__(self, code: int, hint: str = "", **extra) -> None:
        self.code = code
        self.hint = hint
        self.extra = extra
        super().__init__(f"{code} {MESSAGES.get(code, '')} {hint}".strip())

    def payload(self) -> dict:
        msg = MESSAGES.get(self.code, "error")
        if self.hint:
            msg = f"{msg} hint: [{self.hint}]"
        return {"errcode": self.code, "errmsg": f"{msg} rid: {rid()}", **self.extra}
