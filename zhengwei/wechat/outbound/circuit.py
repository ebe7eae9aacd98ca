"""A circuit breaker per account for calls to WeChat, its state in the database (``ApiCircuit``)
so every web process, task worker and scheduler sees the same one — a breaker in process memory
would let each of N workers rediscover the outage through its own timeouts.

- **Closed** (normal): calls go out; each call that fails after the transport's own retries
  (network error, timeout, HTTP 5xx from a proxy, errcode -1) adds one to ``failures``; any
  success resets it. At ``circuit.failures`` in a row the circuit opens.
- **Open**: calls are refused locally with ``CircuitOpen`` (certainly not sent, so a queued
  customer-service message waits and is retried later) until ``open_until``.
- **Half-open**: after ``open_until`` one caller claims the probe with a conditional UPDATE
  (the others are still refused); its success closes the circuit, its failure opens it again for
  twice as long (up to ``circuit.open_max_seconds``), with jitter so accounts do not probe in
  step.

WeChat's answers that say "no" for a reason of its own (a quota, a wrong parameter, an invalid
token) are not failures of the service and never open the circuit. The breaker's bookkeeping
never turns a call into an error: if the database itself cannot be read, the call goes ahead.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.wechat.outbound import limits
from zhengwei.wechat.outbound.errors import CircuitOpen
from zhengwei.wechat.outbound.models import ApiCircuit, CircuitState

log = logging.getLogger("zhengwei.wechat.circuit")


def _row(account_id: int) -> ApiCircuit | None:
    return ApiCircuit.objects.filter(account_id=account_id).first()


def before_call(account, endpoint: str) -> None:
    """Refuse the call with ``CircuitOpen`` while the account's circuit is open."""
    if account is None or getattr(account, "pk", None) is None:
        return
    try:
        row = _row(account.pk)
        if row is None or row.state == CircuitState.CLOSED:
            return
        now = timezone.now()
        if row.open_until and row.open_until > now:
            raise _refusal(row, endpoint)
        # Due for a probe: exactly one caller wins it; it holds the probe for one open period.
        probe_until = now + timedelta(seconds=limits.get("circuit")["probe_seconds"])
        claimed = (
            ApiCircuit.objects.filter(pk=row.pk, state=row.state)
            .filter(Q(open_until__isnull=True) | Q(open_until__lte=now))
            .update(state=CircuitState.HALF_OPEN, open_until=probe_until, changed_at=now)
        )
    except DatabaseError:
        log.warning("circuit state unreadable; calling WeChat anyway", exc_info=True)
        return
    if not claimed:
        raise _refusal(_row(account.pk) or row, endpoint)
    log.info("wechat circuit half-open account=%s: probing with %s", account.pk, endpoint)


def _refusal(row: ApiCircuit, endpoint: str) -> CircuitOpen:
    until = timezone.localtime(row.open_until).strftime("%H:%M:%S") if row.open_until else ""
    return CircuitOpen(
        None,
        _("paused until %(until)s after %(n)d failures: %(error)s")
        % {"until": until, "n": row.failures, "error": row.last_error},
        endpoint=endpoint,
        local=True,
    )


def record_success(account) -> None:
    if account is None or getattr(account, "pk", None) is None:
        return
    try:
        changed = (
            ApiCircuit.objects.filter(account_id=account.pk)
            .exclude(state=CircuitState.CLOSED, failures=0)
            .update(
                state=CircuitState.CLOSED,
                failures=0,
                open_until=None,
                open_seconds=0,
                changed_at=timezone.now(),
            )
        )
    except DatabaseError:
        log.warning("could not record a WeChat success in the circuit", exc_info=True)
        return
    if changed:
        log.info("wechat circuit closed account=%s", account.pk)


def record_failure(account, error: str) -> None:
    if account is None or getattr(account, "pk", None) is None:
        return
    conf = limits.get("circuit")
    try:
        _ensure(account.pk)
        with transaction.atomic():
            row = ApiCircuit.objects.select_for_update().get(account_id=account.pk)
            now = timezone.now()
            row.failures = F("failures") + 1
            row.last_error = error[:200]
            row.save(update_fields=["failures", "last_error"])
            row.refresh_from_db(fields=["failures"])
            probing = row.state == CircuitState.HALF_OPEN
            if probing or row.failures >= conf["failures"]:
                base = row.open_seconds * 2 if probing else conf["open_seconds"]
                seconds = min(conf["open_max_seconds"], max(conf["open_seconds"], base))
                row.state = CircuitState.OPEN
                row.open_seconds = seconds
                row.open_until = now + timedelta(seconds=seconds * (0.8 + random.random() * 0.4))
                row.changed_at = now
                row.save(update_fields=["state", "open_seconds", "open_until", "changed_at"])
                log.warning(
                    "wechat circuit OPEN account=%s for %ds after %d failures: %s",
                    account.pk,
                    seconds,
                    row.failures,
                    error,
                )
    except DatabaseError:
        log.warning("could not record a WeChat failure in the circuit", exc_info=True)


def _ensure(account_id: int) -> None:
    if ApiCircuit.objects.filter(account_id=account_id).exists():
        return
    try:
        with transaction.atomic():
            ApiCircuit.objects.create(account_id=account_id)
    except IntegrityError:
        pass  # another process created it at the same moment


def state_for(account) -> ApiCircuit | None:
    """The account's circuit for display (None: never failed)."""
    return _row(account.pk)
