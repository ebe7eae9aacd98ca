"""Outbound resilience (issue #9): WeChat timing out, answering -1, 45009 or 40001 never sends a
citizen the same message twice, retries back off, a circuit breaker shared through the database
stops every process from hammering a failing API, operators see 重试中 / 已熔断, and Redis
being down costs nothing but speed."""

import socket
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengwei.lib.events import publish
from zhengwei.wechat.outbound import circuit, services, tokens
from zhengwei.wechat.outbound.client import WeChatClient
from zhengwei.wechat.outbound.errors import CircuitOpen, SystemBusy
from zhengwei.wechat.outbound.models import (
    AccessToken,
    ApiCircuit,
    CircuitState,
    OutboundMessage,
    OutboundState,
)
from zhengwei.wechat.outbound.tests.conftest import FAST

pytestmark = pytest.mark.django_db
CITIZEN = "oCitizen0000000000000000009"
SEND = "/cgi-bin/message/custom/send"
BUSY = {"errcode": -1, "errmsg": "system error"}


@pytest.fixture
def acct(world, fake, django_capture_on_commit_callbacks):
    tokens.get_token(world.account)
    with django_capture_on_commit_callbacks(execute=True):  # the citizen wrote: window open
        publish(
            "wechat.message_received",
            account_id=world.account.pk,
            from_user=CITIZEN,
            kind="message",
            msg_type="text",
        )
    return world.account


def _queued(world) -> OutboundMessage:
    message = services.customer_message_send(
        actor=world["duty_officer"],
        account=world.account,
        openid=CITIZEN,
        msgtype="text",
        content={"content": "已派闽侯县防办处理。"},
    )
    assert message.state == OutboundState.QUEUED
    return message


def _deliver(message) -> OutboundMessage:
    OutboundMessage.objects.filter(pk=message.pk, state=OutboundState.RETRYING).update(
        next_attempt_at=timezone.now()
    )
    return services.outbound_message_deliver(message_id=message.pk)


def _reset_circuit(account) -> None:
    ApiCircuit.objects.filter(account=account).update(
        state=CircuitState.CLOSED, failures=0, open_until=None
    )


def test_minus_one_is_retried_later_with_growing_delays_and_sent_exactly_once(world, acct, fake):
    fake.route(SEND, [BUSY, BUSY, BUSY, BUSY, BUSY, BUSY, {"errcode": 0, "errmsg": "ok"}])
    message = _queued(world)
    first = _deliver(message)
    assert first.state == OutboundState.RETRYING and "errcode -1" in first.last_error
    delay_1 = (first.next_attempt_at - timezone.now()).total_seconds()
    second = _deliver(message)
    delay_2 = (second.next_attempt_at - timezone.now()).total_seconds()
    assert 0 < delay_1 and delay_2 > delay_1 * 0.9  # doubling, with jitter of at most half
    _reset_circuit(acct)  # the circuit is the next test's subject
    assert _deliver(message).state == OutboundState.SENT
    assert fake.count(SEND) == 7  # 3 + 3 transport attempts on -1, then the one that went
    assert _deliver(message) is None  # sent: nothing may send it again


def test_a_timeout_that_may_have_delivered_is_never_sent_again(world, acct, fake, settings):
    settings.WECHAT_HTTP_TIMEOUT = 0.3
    fake.route(SEND, lambda req: time.sleep(1) or {"errcode": 0, "errmsg": "ok"})
    message = services.outbound_message_deliver(message_id=_queued(world).pk)
    assert message.state == OutboundState.FAILED and message.next_attempt_at is None
    services.outbound_messages_sweep(now=timezone.now() + timedelta(hours=1))
    assert services.outbound_message_deliver(message_id=message.pk) is None
    assert fake.count(SEND) == 1


def test_quota_45009_is_retried_later_and_does_not_open_the_circuit(world, acct, fake):
    fake.route(SEND, {"errcode": 45009, "errmsg": "reach max api daily quota limit"})
    message = services.outbound_message_deliver(message_id=_queued(world).pk)
    assert message.state == OutboundState.RETRYING and message.errcode == 45009
    assert not ApiCircuit.objects.filter(account=acct, state=CircuitState.OPEN).exists()


def test_an_invalid_token_is_refreshed_once_and_the_call_repeated_once(world, acct, fake):
    fake.revoke_tokens()
    message = services.outbound_message_deliver(message_id=_queued(world).pk)
    assert message.state == OutboundState.SENT
    assert fake.count(SEND) == 2  # refused with 40001, then sent with the new token
    assert fake.count("/cgi-bin/stable_token") == 2  # the first fetch and one refresh


def test_five_failed_calls_open_the_circuit_and_then_nothing_leaves(world, acct, fake, settings):
    fake.route("/cgi-bin/menu/get", BUSY)
    client = WeChatClient(acct)
    for _ in range(5):
        with pytest.raises(SystemBusy):
            client.menu_get()
    row = ApiCircuit.objects.get(account=acct)
    assert row.state == CircuitState.OPEN and row.open_until > timezone.now()
    sent_before = len(fake.calls)
    message = services.outbound_message_deliver(message_id=_queued(world).pk)
    assert len(fake.calls) == sent_before  # refused locally: not even a connection
    assert message.state == OutboundState.RETRYING
    assert "熔断" in message.last_error or "circuit" in message.last_error


def test_after_the_pause_one_probe_goes_out_and_its_success_closes_the_circuit(acct, fake):
    ApiCircuit.objects.create(
        account=acct,
        state=CircuitState.OPEN,
        failures=5,
        open_seconds=30,
        open_until=timezone.now() - timedelta(seconds=1),
    )
    circuit.before_call(acct, "/probe")  # this caller won the probe
    with pytest.raises(CircuitOpen):
        circuit.before_call(acct, "/other")  # everyone else still waits
    circuit.record_success(acct)
    row = ApiCircuit.objects.get(account=acct)
    assert (row.state, row.failures) == (CircuitState.CLOSED, 0)
    circuit.before_call(acct, "/after")  # closed: calls flow again


def test_a_failed_probe_opens_the_circuit_again_for_twice_as_long(acct):
    ApiCircuit.objects.create(
        account=acct,
        state=CircuitState.OPEN,
        failures=5,
        open_seconds=30,
        open_until=timezone.now() - timedelta(seconds=1),
    )
    circuit.before_call(acct, "/probe")
    circuit.record_failure(acct, "/probe: ReadTimeout")
    row = ApiCircuit.objects.get(account=acct)
    assert row.state == CircuitState.OPEN and row.open_seconds == 60
    assert row.open_until > timezone.now() + timedelta(seconds=40)


def test_the_circuit_is_shared_by_every_process_through_the_database(acct, fake):
    fake.route("/cgi-bin/menu/get", BUSY)
    for _ in range(5):
        with pytest.raises(SystemBusy):
            WeChatClient(acct).menu_get()
    # Another process has no memory of those failures, only the database row.
    fresh = type(acct).objects.get(pk=acct.pk)
    with pytest.raises(CircuitOpen):
        WeChatClient(fresh).menu_get()


def test_a_message_is_failed_for_a_person_after_the_last_attempt(world, acct, fake, settings):
    settings.WECHAT_LIMITS = {**FAST, "outbound": {"max_attempts": 2}}
    fake.route(SEND, BUSY)
    message = _queued(world)
    assert _deliver(message).state == OutboundState.RETRYING
    _reset_circuit(acct)
    final = _deliver(message)
    assert final.state == OutboundState.FAILED and final.attempts == 2


def test_the_sweep_sends_a_retry_whose_delayed_task_was_lost(
    world, acct, fake, django_capture_on_commit_callbacks
):
    fake.route(SEND, [BUSY, BUSY, BUSY, {"errcode": 0, "errmsg": "ok"}])
    message = services.outbound_message_deliver(message_id=_queued(world).pk)
    assert message.state == OutboundState.RETRYING
    later = message.next_attempt_at + timedelta(minutes=6)
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbound_messages_sweep(now=later)["requeued"] == 1
    message.refresh_from_db()
    assert message.state == OutboundState.SENT


def test_operators_see_retrying_and_the_open_circuit_in_chinese(world, acct, fake, client_for):
    fake.route(SEND, BUSY)
    services.outbound_message_deliver(message_id=_queued(world).pk)
    ApiCircuit.objects.filter(account=acct).update(
        state=CircuitState.OPEN, failures=5, open_until=timezone.now() + timedelta(minutes=1)
    )
    page = client_for(world["system_admin"]).get(
        reverse("wechat_outbound:api_log"), {"account": acct.pk}
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="wechat-status"' in html
    assert "已熔断" in html and "重试中 · 1" in html


def test_with_redis_down_the_token_lock_falls_back_to_the_database(acct, fake, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    fake.revoke_tokens()
    AccessToken.objects.filter(account=acct).update(expires_at=timezone.now())
    token = tokens.get_token(acct)
    assert token in fake.valid_tokens
