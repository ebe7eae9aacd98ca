import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import audit_record
from zhengwei.lib import events
from zhengwei.wechat.inbound.dispatch import on_any, on_event, on_message, unregister
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.services import (
    inbound_claim,
    inbound_process,
    inbound_process_pending,
)
from zhengwei.wechat.inbound.tests.helpers import OPENID, post, text_fields


@pytest.fixture
def registered():
    added = []

    def add(decorator, fn):
        decorator(fn)
        added.append(fn)
        return fn

    yield add
    for fn in added:
        unregister(fn)


@pytest.fixture
def published():
    seen = []

    def listener(event, **payload):
        seen.append((event, payload))

    for name in ("wechat.message_received", "wechat.publish_finished", "wechat.masssend_finished"):
        events.subscribe(name, listener)
    yield seen
    for bucket in events._listeners.values():
        if listener in bucket:
            bucket.remove(listener)


def test_the_callback_processes_the_message_through_the_wechat_task(
    client, account, registered, django_capture_on_commit_callbacks
):
    seen = []
    registered(on_message("text"), lambda m: seen.append(m.fields["Content"]))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, account, text_fields(account, "路面积水"))
    assert seen == ["路面积水"]
    assert InboundMessage.objects.get().state == "processed"


def test_handlers_are_chosen_by_type_and_event(client, account, registered):
    seen = []
    registered(on_any(), lambda m: seen.append(("any", m.msg_type)))
    registered(on_message("TEXT"), lambda m: seen.append(("text", m.msg_type)))
    registered(on_event("click"), lambda m: seen.append(("click", m.event_key)))
    post(client, account, text_fields(account))
    click = {
        "ToUserName": account.original_id,
        "FromUserName": OPENID,
        "CreateTime": int(time.time()),
        "MsgType": "event",
        "Event": "CLICK",
        "EventKey": "K",
    }
    post(client, account, click)
    assert inbound_process_pending() == 2
    assert seen == [("any", "text"), ("text", "text"), ("any", "event"), ("click", "K")]


def test_a_failing_handler_rolls_back_and_the_message_is_retried_later(
    client, account, registered, settings
):
    attempts = []

    def flaky(message):
        audit_record(action="test.side_effect", object_id=str(message.pk))
        attempts.append(message.pk)
        if len(attempts) == 1:
            raise RuntimeError("network down")

    registered(on_any(), flaky)
    post(client, account, text_fields(account))
    assert inbound_process_pending() == 0
    failed = InboundMessage.objects.get()
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert "network down" in failed.error
    assert not AuditEntry.objects.filter(action="test.side_effect").exists()  # rolled back

    assert inbound_process_pending() == 0  # not before the retry delay
    settings.WECHAT_PROCESS_RETRY_DELAY = 0
    assert inbound_process_pending() == 1
    done = InboundMessage.objects.get()
    assert (done.state, done.attempts, done.error) == ("processed", 2, "")
    assert AuditEntry.objects.filter(action="test.side_effect").count() == 1


def test_a_message_that_keeps_failing_stops_after_the_attempt_limit(
    client, account, registered, settings
):
    settings.WECHAT_PROCESS_RETRY_DELAY = 0
    registered(on_any(), lambda m: 1 / 0)
    post(client, account, text_fields(account))
    for _ in range(5):
        inbound_process_pending()
    assert InboundMessage.objects.get().attempts == settings.WECHAT_PROCESS_MAX_ATTEMPTS


def test_a_claimed_message_cannot_be_claimed_again(client, account):
    post(client, account, text_fields(account))
    token, mine = inbound_claim()
    assert len(mine) == 1
    assert inbound_claim() == ("", [])


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_and_the_late_worker_rolls_back(
    client, account, registered
):
    calls = []
    registered(on_any(), lambda m: audit_record(action="test.side_effect", object_id=str(m.pk)))
    registered(on_any(), lambda m: calls.append(m.pk))
    post(client, account, text_fields(account))
    old_token, (message,) = inbound_claim()
    InboundMessage.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert inbound_process_pending() == 1  # taken over
    assert inbound_process([message], token=old_token) == 0  # the slow worker loses
    assert AuditEntry.objects.filter(action="test.side_effect").count() == 1


def test_processing_publishes_message_received(
    client, account, published, django_capture_on_commit_callbacks
):
    post(client, account, text_fields(account))
    with django_capture_on_commit_callbacks(execute=True):
        inbound_process_pending()
    ((name, payload),) = published
    message = InboundMessage.objects.get()
    assert name == "wechat.message_received"
    assert payload == {
        "account_id": account.pk,
        "message_id": message.pk,
        "from_user": message.from_user,
        "kind": "message",
        "msg_type": "text",
        "event_name": "",
    }


def test_job_finish_events_are_published_with_their_payload(
    client, account, published, django_capture_on_commit_callbacks
):
    base = {"ToUserName": account.original_id, "CreateTime": int(time.time()), "MsgType": "event"}
    post(
        client,
        account,
        {
            **base,
            "FromUserName": "mphelper",
            "Event": "PUBLISHJOBFINISH",
            "PublishEventInfo": {
                "publish_id": "2247503051",
                "publish_status": 2,
                "fail_idx": [1, 2],
            },
        },
    )
    post(
        client,
        account,
        {
            **base,
            "FromUserName": "oAdmin",
            "Event": "MASSSENDJOBFINISH",
            "MsgID": "1000001625",
            "Status": "send success",
            "SentCount": 9,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbound_process_pending()
    by_name = {name: payload for name, payload in published}
    publish = by_name["wechat.publish_finished"]
    assert (publish["publish_id"], publish["publish_status"]) == ("2247503051", 2)
    assert publish["payload"]["fail_idx"] == ["1", "2"]
    mass = by_name["wechat.masssend_finished"]
    assert (mass["msg_id"], mass["status"], mass["payload"]["SentCount"]) == (
        "1000001625",
        "send success",
        "9",
    )


def test_the_worker_command_drains_the_stored_messages(client, account, capsys):
    post(client, account, text_fields(account))
    call_command("wechat_worker", "--once")
    assert "processed 1" in capsys.readouterr().out
    assert InboundMessage.objects.get().state == "processed"


def test_one_failing_message_does_not_undo_the_others_in_its_batch(client, account, registered):
    def picky(message):
        audit_record(action="test.side_effect", object_id=message.fields["Content"])
        if message.fields["Content"] == "bad":
            raise ValueError("cannot handle")

    registered(on_any(), picky)
    for text in ("good 1", "bad", "good 2"):
        post(client, account, text_fields(account, text))
    assert inbound_process_pending() == 2
    states = {m.field("Content"): m.state for m in InboundMessage.objects.all()}
    assert states == {"good 1": "processed", "bad": "failed", "good 2": "processed"}
    marks = set(
        AuditEntry.objects.filter(action="test.side_effect").values_list("object_id", flat=True)
    )
    assert marks == {"good 1", "good 2"}


def test_a_message_chosen_as_a_deadlock_victim_is_handed_back_at_once(client, account, registered):
    from django.db import OperationalError

    class Deadlock(Exception):
        sqlstate = "40P01"

    attempts = []

    def victim(message):
        attempts.append(message.pk)
        if len(attempts) == 1:
            raise OperationalError("deadlock detected") from Deadlock()

    registered(on_any(), victim)
    post(client, account, text_fields(account))
    token, claimed = inbound_claim()
    assert inbound_process(claimed, token=token) == 0
    released = InboundMessage.objects.get()
    # Not "failed" with a retry delay: the next round takes it, and the attempt is not counted.
    assert (released.state, released.attempts) == ("received", 0)
    assert inbound_process_pending() == 1
    assert InboundMessage.objects.get().state == "processed"
