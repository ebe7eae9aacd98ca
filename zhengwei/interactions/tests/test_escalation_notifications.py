"""A conversation that escalates tells the people it now rests with: on their consoles, and for
danger, complaints and the office leader also by SMS / 政务微信 / e-mail."""

from datetime import timedelta

import pytest

from zhengwei.interactions import conf, services
from zhengwei.interactions.models import Category, Conversation
from zhengwei.interactions.tests.helpers import Phone
from zhengwei.notify.models import Channel, Delivery, Notification

pytestmark = pytest.mark.django_db


def _conversation(client, world, capture, text: str) -> Conversation:
    Phone(client, world.account, capture).text(text)
    return Conversation.objects.get()


@pytest.fixture
def leaders(world):
    for key, phone in (("duty_leader", "13800138001"), ("office_leader", "13800138002")):
        world[key].phone = phone
        world[key].save()
    return world


def test_an_overdue_complaint_reaches_the_duty_leader_by_console_and_sms(
    client, leaders, django_capture_on_commit_callbacks
):
    world = leaders
    conversation = _conversation(
        client, world, django_capture_on_commit_callbacks, "我要投诉泵站没人管"
    )
    assert conversation.suggested_category == Category.COMPLAINT
    services.conversations_escalate_overdue(
        now=conversation.first_response_due + timedelta(minutes=1)
    )
    note = Notification.objects.get(kind="conversation.escalated")
    assert note.recipient == world["duty_leader"]
    assert note.urgent is True
    assert f"#{conversation.pk}" in note.title and "投诉" in note.title
    assert "泵站" not in note.title + note.body  # the citizen's words stay on the platform
    assert note.url == f"/inbox/{conversation.pk}/"
    assert Delivery.objects.filter(notification=note, channel=Channel.SMS).exists()


@pytest.fixture
def inquiry(client, leaders, django_capture_on_commit_callbacks) -> Conversation:
    conversation = _conversation(
        client, leaders, django_capture_on_commit_callbacks, "请问明天去福州的高速开放吗？"
    )
    conversation.category = Category.INQUIRY
    conversation.save()
    return conversation


def test_an_overdue_inquiry_reaches_the_duty_leader_on_the_console_only(leaders, inquiry):
    world, conversation = leaders, inquiry
    services.conversations_escalate_overdue(
        now=conversation.first_response_due + timedelta(minutes=1)
    )
    note = Notification.objects.get(kind="conversation.escalated")
    assert note.recipient == world["duty_leader"] and "咨询" in note.title
    assert note.urgent is False
    assert not Delivery.objects.filter(notification=note).exists()


def test_the_office_leader_is_told_urgently_at_the_second_level(leaders, inquiry):
    world, conversation = leaders, inquiry
    period = conf.deadline(Category.INQUIRY, "first_response")
    services.conversations_escalate_overdue(
        now=conversation.first_response_due + period + timedelta(minutes=1)
    )
    note = Notification.objects.get(kind="conversation.escalated")
    assert note.recipient == world["office_leader"] and "办公室领导" in note.title
    assert note.urgent is True
    assert Delivery.objects.filter(notification=note, channel=Channel.SMS).exists()
