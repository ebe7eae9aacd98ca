from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhengwei.audit.models import AuditEntry
from zhengwei.lib.events import publish
from zhengwei.wechat.outbound import services, tokens
from zhengwei.wechat.outbound.models import OutboundMessage, OutboundState, ServiceWindow

pytestmark = pytest.mark.django_db
CITIZEN = "oCitizen0000000000000000002"
SEND = "/cgi-bin/message/custom/send"


@pytest.fixture
def acct(world, fake):
    tokens.get_token(world.account)
    return world.account


@pytest.fixture
def writes(acct, django_capture_on_commit_callbacks):
    """The citizen sends a message; inbound publishes the event after its commit."""

    def _writes():
        with django_capture_on_commit_callbacks(execute=True):
            publish(
                "wechat.message_received",
                account_id=acct.pk,
                from_user=CITIZEN,
                kind="message",
                msg_type="text",
            )

    return _writes


def _reply(world, role="duty_officer", **kwargs):
    return services.customer_message_send(
        actor=world[role],
        account=world.account,
        openid=CITIZEN,
        msgtype="text",
        content={"content": "您报告的积水点已派闽侯县防办处理。"},
        **kwargs,
    )


def test_a_reply_to_a_citizen_whose_window_is_closed_waits_without_calling_wechat(
    world, acct, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _reply(world, personal=True, reference="report:42")
    assert message.state == OutboundState.WAITING_WINDOW
    assert fake.count(SEND) == 0


def test_it_is_sent_when_the_citizen_writes_again(
    world, acct, writes, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _reply(world, personal=True)
        second = _reply(world, personal=True)
    writes()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == OutboundState.SENT
    assert first.sent_at is not None and first.attempts == 1
    sent = fake.requests_to(SEND)
    assert len(sent) == 2 and sent[0].json["touser"] == CITIZEN


def test_a_reply_inside_an_open_window_is_sent_at_once(
    world, acct, writes, fake, django_capture_on_commit_callbacks
):
    writes()
    with django_capture_on_commit_callbacks(execute=True):
        message = _reply(world)
    message.refresh_from_db()
    assert message.state == OutboundState.SENT
    assert AuditEntry.objects.filter(
        action="outbound_message.sent", object_id=str(message.pk)
    ).exists()


def test_messages_beyond_the_quota_wait_for_the_next_message(
    world, acct, writes, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = [_reply(world) for _ in range(6)]
    writes()
    states = [OutboundMessage.objects.get(pk=m.pk).state for m in queued]
    assert states == [OutboundState.SENT] * 5 + [OutboundState.WAITING_WINDOW]
    writes()
    assert OutboundMessage.objects.get(pk=queued[-1].pk).state == OutboundState.SENT


def test_a_message_is_never_sent_twice(world, acct, writes, fake):
    writes()
    message = _reply(world)  # on-commit delivery not run: deliver it twice by hand
    services.outbound_message_deliver(message_id=message.pk)
    assert services.outbound_message_deliver(message_id=message.pk) is None
    assert fake.count(SEND) == 1


def test_a_refusal_by_wechat_marks_the_message_failed(world, acct, writes, fake):
    writes()
    fake.route(SEND, {"errcode": 40003, "errmsg": "invalid openid"})
    message = _reply(world)
    message = services.outbound_message_deliver(message_id=message.pk)
    assert message.state == OutboundState.FAILED and message.errcode == 40003


def test_the_contractors_operator_may_send_general_replies_but_not_personal_ones(world, acct):
    assert _reply(world, role="operator").state == OutboundState.WAITING_WINDOW
    with pytest.raises(PermissionDenied):
        _reply(world, role="operator", personal=True)


def test_people_without_the_role_or_on_another_account_are_refused(world, acct):
    for person in (world["writer"], world["auditor"], world.outsider):
        with pytest.raises(PermissionDenied):
            services.customer_message_send(
                actor=person, account=world.account, openid=CITIZEN, msgtype="text", content={}
            )


def test_the_sweep_gives_up_on_windows_that_never_reopen(world, acct):
    message = _reply(world)
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert services.outbound_messages_sweep()["failed"] == 1
    assert OutboundMessage.objects.get(pk=message.pk).state == OutboundState.FAILED


def test_a_lost_answer_fails_the_message_rather_than_risk_sending_it_twice(
    world, acct, writes, fake, settings
):
    import time

    writes()
    settings.WECHAT_HTTP_TIMEOUT = 0.2
    fake.route(SEND, lambda request: time.sleep(0.5) or {"errcode": 0})
    message = services.outbound_message_deliver(message_id=_reply(world).pk)
    assert message.state == OutboundState.FAILED
    assert fake.count(SEND) == 1
    assert ServiceWindow.objects.get(openid=CITIZEN).sent_count == 1  # it may have arrived


def test_a_send_that_never_left_is_retried_later_and_not_counted(world, acct, writes, settings):
    writes()
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"  # nothing listens: connection refused
    message = services.outbound_message_deliver(message_id=_reply(world).pk)
    assert message.state == OutboundState.RETRYING and message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert ServiceWindow.objects.get(openid=CITIZEN).sent_count == 0


def test_the_sweep_hands_a_message_stuck_in_sending_to_a_person(world, acct):
    message = _reply(world)
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=OutboundState.SENDING, updated_at=timezone.now() - timedelta(minutes=10)
    )
    services.outbound_messages_sweep()
    message.refresh_from_db()
    assert message.state == OutboundState.FAILED and "may or may not" in message.last_error
