"""灾情 in the inbox becomes a disaster report from the citizen (channel chat), by a duty officer;
the citizen receives the ticket number in chat."""

import pytest
from django.core.exceptions import PermissionDenied

from zhengwei.interactions import services
from zhengwei.interactions.models import Conversation, ConversationState
from zhengwei.interactions.tests.helpers import OPENID, Phone, sent_texts
from zhengwei.reports.models import Channel, Hazard, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(client, world, django_capture_on_commit_callbacks):
    Phone(client, world.account, django_capture_on_commit_callbacks).text(
        "鼓楼区杨桥路地下车库进水了，水位还在涨"
    )
    return Conversation.objects.get()


def test_a_duty_officer_turns_a_disaster_message_into_a_report(
    world, conversation, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.conversation_convert(
            actor=world["duty_officer"], conversation=conversation, hazard=Hazard.WATERLOGGING
        )
    assert report.channel == Channel.CHAT and report.reporter_openid == OPENID
    assert "杨桥路" in report.description
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.CONVERTED and conversation.report == report
    assert report.ticket in sent_texts(wechat)[-1]


def test_an_unsubmitted_chat_draft_keeps_its_place_when_converted(
    client, world, wechat, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from zhengwei.interactions.models import ChatDraft

    phone = Phone(client, world.account, django_capture_on_commit_callbacks)
    phone.location(lat=26.0585, lng=119.19)
    phone.text("村道塌方")
    ChatDraft.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    services.chat_drafts_expire()
    conversation = Conversation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.conversation_convert(
            actor=world["duty_officer"], conversation=conversation, hazard=Hazard.LANDSLIDE
        )
    assert report.county_code == "350121" and report.has_location


def test_only_duty_officers_convert_and_never_the_contractor(world, conversation):
    for role in ("operator", "project_manager", "office_reviewer", "auditor"):
        with pytest.raises(PermissionDenied):
            services.conversation_convert(
                actor=world[role], conversation=conversation, hazard=Hazard.OTHER
            )
    assert not Report.objects.exists()
