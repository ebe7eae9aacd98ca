"""Signed links for citizens, who never sign in.

- The H5 form link ``/h5/report/?t=<token>``: sent in chat, it carries the WeChat openid and the
  account (a subscription account has no OAuth), signed with SECRET_KEY and expiring after
  REPORT_H5_LINK_MAX_AGE seconds.
- The public status page ``/r/<ticket>/<token>/``: the token is an HMAC of the ticket, so knowing
  a ticket number alone (they are sequential) does not open its page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

H5_SALT = "zhengwei.reports.h5-link"
STATUS_SALT = "zhengwei.reports.status-page"


@dataclass(frozen=True)
class H5Identity:
    account_id: int
    openid: str


def h5_link_max_age() -> int:
    return settings.REPORT_H5_LINK_MAX_AGE


def h5_token(*, account_id: int, openid: str) -> str:
    return signing.dumps({"a": account_id, "o": openid}, salt=H5_SALT, compress=True)


def h5_link(*, account_id: int, openid: str) -> str:
    """The path of the form for one WeChat user (prefix the site's address to send it in chat)."""
    return (
        reverse("reports:h5_form")
        + "?"
        + urlencode({"t": h5_token(account_id=account_id, openid=openid)})
    )


def h5_identity(token: str) -> H5Identity:
    """Raises signing.SignatureExpired or signing.BadSignature."""
    data = signing.loads(token, salt=H5_SALT, max_age=h5_link_max_age())
    if not isinstance(data, dict) or not data.get("o") or not isinstance(data.get("a"), int):
        raise signing.BadSignature("malformed")
    return H5Identity(account_id=data["a"], openid=str(data["o"]))


def status_token(ticket: str) -> str:
    return signing.Signer(salt=STATUS_SALT).signature(ticket)[:22]


def status_token_valid(ticket: str, token: str) -> bool:
    return constant_time_compare(status_token(ticket), token or "")


def status_path(ticket: str) -> str:
    return reverse("reports:status", args=[ticket, status_token(ticket)])
