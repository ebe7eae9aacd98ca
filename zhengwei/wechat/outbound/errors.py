"""WeChat API errors as typed exceptions (reference wechat.md §3.12).

Every exception carries WeChat's ``errcode`` and ``errmsg`` plus a Chinese ``explanation`` for
the person who has to act on it (the msgids are English; the zh_Hans catalogue translates them).
Errors raised locally, before any HTTP (quota windows, privileges), have ``local = True``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class WeChatError(Exception):
    errcodes: tuple[int, ...] = ()
    explanation = _("WeChat refused the call.")

    def __init__(
        self, errcode: int | None = None, errmsg: str = "", *, endpoint: str = "", local=False
    ):
        self.errcode = errcode if errcode is not None else (self.errcodes or (None,))[0]
        self.errmsg = errmsg
        self.endpoint = endpoint
        self.local = local
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" [{self.endpoint}]" if self.endpoint else ""
        return f"{self.explanation}（errcode {self.errcode}: {self.errmsg}）{where}"


class WeChatNetworkError(WeChatError):
    explanation = _("WeChat could not be reached (network error or timeout).")
    # False when the request certainly never reached WeChat (connection refused, connect
    # timeout); True when it may have been acted on (read timeout, dropped connection).
    maybe_delivered = True


class SystemBusy(WeChatError):
    errcodes = (-1,)
    explanation = _("WeChat is busy; the call was retried with backoff and still failed.")


class InvalidToken(WeChatError):
    errcodes = (40001, 40014, 42001)
    explanation = _("The access token is invalid or expired; it is refreshed once centrally.")


class InvalidCredential(WeChatError):
    # 40001 from the token endpoint itself means a wrong AppSecret, not a stale token.
    errcodes = (40013, 40125)
    explanation = _("The AppID or AppSecret is wrong: check the account settings.")


class IpNotWhitelisted(WeChatError):
    errcodes = (40164,)
    explanation = _(
        "This server's IP address is not on the account's IP whitelist (公众平台 → 基本配置)."
    )


class InvalidMenuName(WeChatError):
    errcodes = (40018,)
    explanation = _("A menu button name has an invalid length.")


class MenuNotFound(WeChatError):
    errcodes = (46003,)
    explanation = _(
        "The account has no custom menu on WeChat (none was published through the API)."
    )


class InvalidOAuthCode(WeChatError):
    errcodes = (40029,)
    explanation = _("The OAuth code is invalid or used; start the authorisation again.")


class MustFollow(WeChatError):
    errcodes = (43004,)
    explanation = _("The user must follow the account first.")


class TitleTooLong(WeChatError):
    errcodes = (45003,)
    explanation = _("The title is too long.")


class QuotaExceeded(WeChatError):
    errcodes = (45009,)
    explanation = _(
        "The daily quota of this API is used up; an administrator can reset it (10 times a month)."
    )


class RateLimited(WeChatError):
    errcodes = (45011,)
    explanation = _("Too many calls this minute; try again shortly.")


class OutsideServiceWindow(WeChatError):
    errcodes = (45015,)
    explanation = _(
        "The citizen has not written within the last 48 hours (or has unfollowed): customer-"
        "service messages are not allowed until they write again."
    )


class MassSendQuotaExhausted(WeChatError):
    errcodes = (45028,)
    explanation = _("No mass-send quota left today (a subscription account has one a day).")


class ServiceQuotaExhausted(WeChatError):
    errcodes = (45047,)
    explanation = _(
        "The customer-service message quota for this citizen is used up until they write again."
    )


class DuplicateMassSend(WeChatError):
    # From the mass-send page's clientmsgid rules (not re-verified): a repeated clientmsgid.
    errcodes = (45065,)
    explanation = _("A mass send with this clientmsgid was already made; nothing was sent again.")


class Unauthorized(WeChatError):
    errcodes = (48001,)
    explanation = _("This account type is not authorised for this API (see the privilege table).")


class ApiBanned(WeChatError):
    errcodes = (48004,)
    explanation = _("WeChat has banned this API for the account; see the notice in 公众平台.")


class ClearQuotaExhausted(WeChatError):
    errcodes = (48006,)
    explanation = _("The monthly quota resets (clear_quota) are used up.")


class NoCommentPrivilege(WeChatError):
    errcodes = (88000,)
    explanation = _("The account has no comment privilege for this article.")


class PrivilegeError(WeChatError):
    """Refused locally: the account type or verification status does not allow the call."""

    def __init__(self, message: str, *, endpoint: str = ""):
        self.message = message
        super().__init__(None, "", endpoint=endpoint, local=True)

    def __str__(self) -> str:
        return self.message


class CircuitOpen(WeChatError):
    """Refused locally: calls to WeChat for this account are paused after repeated failures
    (zhengwei/wechat/outbound/circuit.py); nothing was sent."""

    explanation = _("Calls to WeChat are paused after repeated failures (circuit open).")


class TokenLockTimeout(WeChatError):
    explanation = _("Timed out waiting for another process to refresh the access token.")


BY_CODE: dict[int, type[WeChatError]] = {
    code: cls
    for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, WeChatError)
    for code in cls.errcodes
}


def error_for(errcode: int, errmsg: str = "", *, endpoint: str = "") -> WeChatError:
    cls = BY_CODE.get(errcode, WeChatError)
    if cls is InvalidToken and endpoint in {"/cgi-bin/token", "/cgi-bin/stable_token"}:
        cls = InvalidCredential  # the token endpoints say 40001 for a wrong AppSecret
    return cls(errcode, errmsg, endpoint=endpoint)
