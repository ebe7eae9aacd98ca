import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.audit.models import AuditEntry
from zhengwei.notify import gateways
from zhengwei.notify.models import Delivery, DeliveryState, Notification
from zhengwei.notify.services import deliveries_send_due, notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(world):
    user = world["duty_leader"]
    user.phone = "13800138000"
    user.email = "leader@example.gov.cn"
    user.save()
    return user


def outbox() -> list[dict]:
    path = Path(settings.NOTIFY_OUTBOX_DIR) / "outbox.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_recipient_is_told_once(world):
    made = notification_send(
        recipients=[world["duty_officer"], world["duty_officer"].pk, world["auditor"]],
        kind="test.hello",
        title="你好",
    )
    assert len(made) == 2
    assert Notification.objects.filter(recipient=world["duty_officer"]).count() == 1
    assert not Delivery.objects.exists()  # not urgent: the console only


def test_inactive_people_are_not_told(world):
    world["auditor"].is_active = False
    world["auditor"].save()
    assert notification_send(recipients=[world["auditor"]], kind="t", title="x") == []


def test_an_urgent_notification_leaves_by_sms_wecom_and_email(
    world, leader, django_capture_on_commit_callbacks
):
    before = len(outbox())
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[leader],
            kind="report.escalated",
            title="督办：FJ001 未受理",
            body="P0 报告超过 2 分钟未受理",
            urgent=True,
            account=world.account,
        )
    rows = {d.channel: d for d in Delivery.objects.all()}
    assert set(rows) == {"sms", "wecom", "email"}
    assert all(d.state == DeliveryState.SENT and d.attempts == 1 for d in rows.values())
    assert rows["sms"].address == "138****8000"  # the log masks the address
    lines = outbox()[before:]
    assert {line["channel"] for line in lines} == {"sms", "wecom", "email"}
    sms = next(line for line in lines if line["channel"] == "sms")
    assert sms["to"] == "13800138000"
    assert sms["body"].startswith("【政微】督办：FJ001 未受理")


def test_a_person_without_a_phone_gets_no_sms(world, settings):
    settings.NOTIFY_CHANNELS = ["sms"]
    notification_send(recipients=[world["duty_officer"]], kind="t", title="x", urgent=True)
    assert not Delivery.objects.exists()


def test_a_gateway_failure_is_retried_with_back_off(world, leader, settings, monkeypatch):
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.NOTIFY_RETRY_SECONDS = 60
    calls = []

    def flaky(self, message):
        calls.append(message)
        if len(calls) < 3:
            raise gateways.GatewayError("HTTP 503")
        return "ok-1"

    monkeypatch.setattr(gateways.LocalGateway, "send", flaky)
    with freeze_time("2026-07-28 10:00:00+08:00") as clock:
        notification_send(recipients=[leader], kind="t", title="x", urgent=True)
        assert deliveries_send_due() == {"sent": 0, "failed": 1, "gave_up": 0}
        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.FAILED and delivery.last_error == "HTTP 503"
        assert deliveries_send_due() == {"sent": 0, "failed": 0, "gave_up": 0}  # backing off
        clock.tick(timedelta(seconds=61))
        deliveries_send_due()  # second failure: next try 120 s later
        clock.tick(timedelta(seconds=60))
        assert deliveries_send_due()["sent"] == 0
        clock.tick(timedelta(seconds=61))
        call_command("notify_tick")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 3
    assert delivery.provider_id == "ok-1"


def test_a_refused_address_is_given_up_and_audited(world, settings):
    settings.NOTIFY_CHANNELS = ["sms"]
    user = world["duty_leader"]
    user.phone = "0591-12345"  # a landline: the SMS gateway refuses it
    user.save()
    notification_send(recipients=[user], kind="t", title="x", urgent=True)
    deliveries_send_due()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.GAVE_UP
    assert delivery.attempts == 1
    assert AuditEntry.objects.filter(action="notification.delivery_failed").exists()


def test_after_the_last_attempt_it_gives_up(world, leader, settings, monkeypatch):
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.NOTIFY_MAX_ATTEMPTS = 2

    def down(self, message):
        raise gateways.GatewayError("timeout")

    monkeypatch.setattr(gateways.LocalGateway, "send", down)
    notification_send(recipients=[leader], kind="t", title="x", urgent=True)
    deliveries_send_due()
    deliveries_send_due(now=timezone.now() + timedelta(hours=1))
    assert Delivery.objects.get().state == DeliveryState.GAVE_UP


def test_a_delivery_claimed_by_one_worker_is_not_sent_again(world, leader, settings):
    settings.NOTIFY_CHANNELS = ["sms"]
    notification_send(recipients=[leader], kind="t", title="x", urgent=True)
    assert deliveries_send_due()["sent"] == 1
    assert deliveries_send_due(now=timezone.now() + timedelta(days=1))["sent"] == 0
