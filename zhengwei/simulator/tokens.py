"""access_token semantics of the two endpoints (brief wechat.md §0.3, §3.1, §7.8).

Classic ``/cgi-bin/token``: every call issues a new token; the previous one keeps working for
5 minutes and any older one dies at once; 2000 calls a day, then 45009.
Stable ``/cgi-bin/stable_token``: returns the same token until 5 minutes before it expires, then a
new one (the old one lives out its life); ``force_refresh`` at most 20 a day and 30 s apart, and it
invalidates the previous stable token. Classic and stable tokens are independent of each other.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from zhengwei.simulator.core import bump, count_of, new_token_value
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import SimAccount, SimToken, TokenKind
from zhengwei.simulator.router import alias


def _credentials(appid: str | None, secret: str | None) -> SimAccount:
    if not appid:
        raise ApiError(41002)
    account = SimAccount.objects.filter(app_id=appid).first()
    if account is None:
        raise ApiError(40013)
    if not secret:
        raise ApiError(41004)
    if secret != account.secret:
        raise ApiError(40125)
    return account


def _issue(account: SimAccount, kind: str, now, *, forced: bool = False) -> SimToken:
    conf = limits()["token"]
    return SimToken.objects.create(
        account=account,
        kind=kind,
        value=new_token_value(),
        issued_at=now,
        expires_at=now + timedelta(seconds=conf["expires_in"]),
        forced=forced,
    )


def classic_token(grant_type: str | None, appid: str | None, secret: str | None) -> dict:
    if grant_type != "client_credential":
        raise ApiError(40002)
    account = _credentials(appid, secret)
    conf = limits()["token"]
    with transaction.atomic(using=alias()):
        SimAccount.objects.select_for_update().filter(pk=account.pk).first()
        if count_of(account, "token:classic") >= conf["classic_daily_quota"]:
            raise ApiError(45009)
        bump(account, "token:classic")
        now = timezone.now()
        classic = SimToken.objects.filter(account=account, kind=TokenKind.CLASSIC)
        # A token still inside its overlap (the one before the previous) stops now …
        classic.filter(superseded_until__gt=now).update(superseded_until=now)
        previous = (
            classic.filter(superseded_until__isnull=True).order_by("-issued_at", "-id").first()
        )
        if previous is not None:
            # … and the previous one keeps working for the overlap.
            overlap_end = now + timedelta(seconds=conf["classic_overlap_seconds"])
            previous.superseded_until = min(overlap_end, previous.expires_at)
            previous.save(update_fields=["superseded_until"])
        token = _issue(account, TokenKind.CLASSIC, now)
    return {"access_token": token.value, "expires_in": conf["expires_in"]}


def stable_token(body: dict) -> dict:
    if body.get("grant_type") != "client_credential":
        raise ApiError(40002)
    account = _credentials(body.get("appid"), body.get("secret"))
    force = body.get("force_refresh") in (True, "true", 1, "1")
    conf = limits()["token"]
    with transaction.atomic(using=alias()):
        SimAccount.objects.select_for_update().filter(pk=account.pk).first()
        if count_of(account, "token:stable") >= conf["stable_daily_quota"]:
            raise ApiError(45009)
        bump(account, "token:stable")
        now = timezone.now()
        live = SimToken.objects.filter(
            account=account, kind=TokenKind.STABLE, superseded_until__isnull=True
        )
        current = live.order_by("-issued_at", "-id").first()
        if force:
            if count_of(account, "token:stable:force") >= conf["stable_force_daily_quota"]:
                raise ApiError(45009, "force_refresh daily limit")
            last = (
                SimToken.objects.filter(account=account, kind=TokenKind.STABLE, forced=True)
                .order_by("-issued_at")
                .first()
            )
            gap = conf["stable_force_min_interval_seconds"]
            if last is not None and (now - last.issued_at).total_seconds() < gap:
                raise ApiError(45011, f"force_refresh at most every {gap} s")
            bump(account, "token:stable:force")
            live.update(
                superseded_until=now + timedelta(seconds=conf["stable_force_overlap_seconds"])
            )
            current = _issue(account, TokenKind.STABLE, now, forced=True)
        else:
            renew_at = timedelta(seconds=conf["stable_renew_before_seconds"])
            if current is None or current.expires_at - now <= renew_at:
                # The old token is not cut short: it lives out its remaining minutes.
                current = _issue(account, TokenKind.STABLE, now)
        remaining = int((current.expires_at - now).total_seconds())
    return {"access_token": current.value, "expires_in": remaining}


def check(value: str | None) -> SimToken:
    """The token of an API call, or the WeChat error: 41001 missing, 40001 unknown or replaced,
    42001 expired."""
    if not value:
        raise ApiError(41001)
    token = SimToken.objects.select_related("account").filter(value=value).first()
    if token is None:
        raise ApiError(40001)
    now = timezone.now()
    if now >= token.valid_until():
        if token.superseded_until is not None and token.superseded_until < token.expires_at:
            raise ApiError(40001)
        raise ApiError(42001)
    return token
