"""Events WeChat pushes on its own (PUBLISHJOBFINISH, MASSSENDJOBFINISH).

They are queued durably (SimDelivery, with ``due_at``) and sent by a daemon thread that lives in
the simulator's own process: it needs neither the platform's task worker nor any broker. The
thread starts on the first simulator request (or when something is queued), sleeps until the
next delivery is due or ``deliveries.poll_seconds`` pass, claims each due row with a conditional
UPDATE (so two simulator processes never send one event twice), and sends it like WeChat: signed,
encrypted per the account's mode, 5 s timeout, 3 deliveries in total. Rows left pending by a
stopped process are sent when a simulator process runs again. ``deliver_due()`` does one pass
synchronously (tests, the ``sim_seed --deliver`` command).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import requests
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from zhengwei.lib.wxxml import parse_message
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import DeliveryStatus, SimAccount, SimDelivery
from zhengwei.simulator.router import alias
from zhengwei.simulator.wire import build_request

log = logging.getLogger("zhengwei.simulator.deliveries")


def enqueue(account: SimAccount, event: str, xml: bytes, delay_seconds: float) -> SimDelivery:
    delivery = SimDelivery.objects.create(
        account=account,
        event=event,
        xml=xml.decode("utf-8"),
        due_at=timezone.now() + timedelta(seconds=max(0.0, float(delay_seconds))),
    )
    transaction.on_commit(dispatcher.kick, using=alias())
    return delivery


def _send(delivery: SimDelivery) -> None:
    conf = limits()["callback"]
    account = delivery.account
    xml = delivery.xml.encode("utf-8")
    sender = parse_message(xml).from_user
    request = build_request(account, xml=xml, openid=sender)
    error, status = "", None
    for attempt in range(1, int(conf["attempts"]) + 1):
        delivery.attempts = attempt
        try:
            response = requests.post(
                request.url,
                params=request.params,
                data=request.body,
                headers=request.headers,
                timeout=float(conf["timeout_seconds"]),
            )
        except requests.RequestException as exc:  # timeout or refused: WeChat tries again
            error = f"{type(exc).__name__}: {exc}"[:300]
            continue
        status = response.status_code
        error = "" if status == 200 else f"HTTP {status}"
        break
    delivery.response_status = status
    delivery.last_error = error
    if status == 200:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
    else:
        delivery.status = DeliveryStatus.FAILED
        log.warning("delivery %s of %s failed: %s", delivery.pk, delivery.event, error)
    delivery.save(
        update_fields=["attempts", "response_status", "last_error", "status", "delivered_at"]
    )


def deliver_due(now=None) -> float | None:
    """Send every due delivery once. Returns seconds until the next pending one (None: none)."""
    now = now or timezone.now()
    due = SimDelivery.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=now)
    for pk in list(due.order_by("due_at", "id").values_list("pk", flat=True)[:100]):
        claimed = SimDelivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING
        )
        if not claimed:
            continue  # another process took it
        delivery = SimDelivery.objects.select_related("account").get(pk=pk)
        try:
            _send(delivery)
        except Exception:  # never let one bad row stop the thread
            log.exception("delivery %s crashed", pk)
            SimDelivery.objects.filter(pk=pk).update(
                status=DeliveryStatus.FAILED, last_error="crashed (see log)"
            )
    upcoming = (
        SimDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if upcoming is None:
        return None
    return max(0.0, (upcoming - timezone.now()).total_seconds())


class Dispatcher:
    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stop = False
        self._pending_kick = False

    def start(self) -> None:
        with self._wake:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop = False
            self._thread = threading.Thread(target=self._run, name="sim-deliveries", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        self.start()
        with self._wake:
            self._pending_kick = True
            self._wake.notify_all()

    def stop(self, timeout: float = 10.0) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stop:
                    break
                self._pending_kick = False
            wait = None
            try:
                close_old_connections()
                wait = deliver_due()
            except Exception:
                log.exception("delivery pass failed")
            finally:
                connections.close_all()
            poll = float(limits()["deliveries"]["poll_seconds"])
            timeout = poll if wait is None else min(poll, wait + 0.01)
            with self._wake:
                if self._stop:
                    break
                if not self._pending_kick:
                    self._wake.wait(timeout=max(0.01, timeout))


dispatcher = Dispatcher()


def wait_until_idle(timeout: float = 10.0) -> bool:
    """Tests: wait until nothing is pending or sending."""
    deadline = time.monotonic() + timeout
    active = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
    while time.monotonic() < deadline:
        if not SimDelivery.objects.filter(status__in=active).exists():
            return True
        time.sleep(0.05)
    return False
