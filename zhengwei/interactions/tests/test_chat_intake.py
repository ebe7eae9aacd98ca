"""我报灾情 in chat: a location, photos, voice and text within the window become one draft; 确认
turns it into a report (channel chat) and the citizen gets the ticket number at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.interactions import wording
from zhengwei.interactions.models import (
    Category,
    ChatDraft,
    Conversation,
    DraftState,
)
from zhengwei.interactions.tests.helpers import OPENID, Phone, jpeg, reply_text, sent_texts
from zhengwei.reports import workflow
from zhengwei.reports.models import Channel, Hazard, Priority, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks)


def test_the_report_menu_answers_at_once_with_instructions_and_a_signed_form_link(phone):
    response = phone.click("REPORT")
    text = reply_text(response)
    assert "确认" in text and "110" in text
    assert "https://fx.example.gov.cn/h5/report/?t=" in text
    assert ChatDraft.objects.get().state == DraftState.COLLECTING


def test_location_photos_voice_and_text_from_one_citizen_build_one_draft(phone, wechat):
    phone.click("REPORT")
    phone.location()
    phone.photos(["media-a", "media-b"])
    phone.voice("桥下积水齐腰深，两辆车熄火。")
    phone.text("就在上街镇大学城路口")
    draft = ChatDraft.objects.get()
    assert draft.state == DraftState.COLLECTING
    assert (round(draft.lat, 4), round(draft.lng, 4)) == (26.0585, 119.19)
    assert [p["media_id"] for p in draft.photos] == ["media-a", "media-b"]
    assert [t["kind"] for t in draft.texts] == ["voice", "text"]
    assert not Conversation.objects.exists()  # report material never lands in the inbox


def test_confirming_creates_a_chat_report_and_sends_the_ticket_number(phone, wechat):
    wechat.route("/cgi-bin/media/get", lambda request: jpeg())
    phone.location()
    phone.photos(["media-a"])
    phone.text("路口积水很深，车辆无法通行")
    phone.text("确认")
    report = Report.objects.get()
    assert report.channel == Channel.CHAT
    assert report.reporter_openid == OPENID
    assert report.hazard == Hazard.WATERLOGGING
    assert report.address == "闽侯县上街镇" and report.county_code == "350121"
    assert "路口积水很深" in report.description
    draft = ChatDraft.objects.get()
    assert draft.state == DraftState.CONFIRMED and draft.report == report
    # The ticket and the expected next step, in the window the citizen's messages opened.
    (ticket_message,) = sent_texts(wechat)
    deadline = workflow.describe_duration(workflow.deadline(report.priority))
    assert report.ticket in ticket_message and deadline in ticket_message
    assert f"/r/{report.ticket}/" in ticket_message
    # The photo followed: fetched from WeChat by a task and attached to the report.
    assert report.photos.count() == 1 and draft.__class__.objects.get().photos_attached == 1


def test_a_passive_receipt_acknowledges_a_location_and_a_batch_of_photos(phone):
    phone.click()
    response = phone.message("location", Location_X="26.1", Location_Y="119.2")
    assert reply_text(response) == wording.location_received()
    response = phone.event(
        "pic_photo_or_album", EventKey="K", SendPicsInfo={"Count": "3", "PicList": []}
    )
    assert reply_text(response) == wording.photos_received("3")


def test_words_of_danger_make_the_report_p0_with_the_110_119_advice(phone, wechat):
    phone.click()
    phone.text("有两位老人被困在二楼，水还在涨，救命")
    phone.text("提交")
    report = Report.objects.get()
    assert report.lives_in_danger and report.priority == Priority.P0
    assert report.hazard == Hazard.PEOPLE_TRAPPED
    assert "110" in sent_texts(wechat)[0]


def test_after_the_window_the_unconfirmed_draft_goes_to_the_inbox_and_nothing_is_lost(
    phone, settings
):
    settings.REPORT_CHAT_WINDOW_MINUTES = 30
    phone.location()
    phone.text("村口道路塌方")
    ChatDraft.objects.update(updated_at=timezone.now() - timedelta(minutes=31))
    phone.text("请问今天还下雨吗？")
    old = ChatDraft.objects.get()
    assert old.state == DraftState.ABANDONED
    # Nothing is lost: the unconfirmed report waits in the inbox for the office, and the
    # citizen's next message joins that conversation rather than a new draft.
    conversation = Conversation.objects.get()
    assert conversation.suggested_category == Category.DISASTER
    texts = [i.text for i in conversation.items.all()]
    assert "村口道路塌方" in texts[0] and texts[1] == "请问今天还下雨吗？"


def test_the_tick_expires_stale_drafts(phone):
    from django.core.management import call_command

    phone.location()
    ChatDraft.objects.update(updated_at=timezone.now() - timedelta(hours=2))
    call_command("interactions_tick")
    assert ChatDraft.objects.get().state == DraftState.ABANDONED
    assert Conversation.objects.filter(suggested_category=Category.DISASTER).count() == 1


def test_cancelling_discards_the_draft_without_a_report(phone, wechat):
    phone.click()
    phone.text("院子里有积水")
    phone.text("取消")
    assert ChatDraft.objects.get().state == DraftState.ABANDONED
    assert not Report.objects.exists()
    assert sent_texts(wechat) == [wording.draft_cancelled()]


def test_confirming_an_empty_draft_asks_for_the_report_first(phone, wechat):
    phone.click()
    phone.text("确认")
    assert not Report.objects.exists()
    assert ChatDraft.objects.get().state == DraftState.COLLECTING
    assert sent_texts(wechat)[-1] == wording.draft_empty()


def test_a_citizen_flooding_the_account_is_stopped_without_losing_the_draft(
    phone, wechat, settings
):
    settings.REPORT_RATE_LIMIT = 1
    phone.location()
    phone.text("确认")
    phone.location(lat=26.07)
    phone.text("确认")
    assert Report.objects.count() == 1
    assert ChatDraft.objects.filter(state=DraftState.COLLECTING).count() == 1
    assert "110" in sent_texts(wechat)[-1]


def test_a_file_that_is_not_a_photo_is_refused_and_the_citizen_is_told(phone, wechat):
    wechat.route("/cgi-bin/media/get", lambda request: b"%PDF-1.7 not a photo")
    phone.location()
    phone.photos(["media-pdf"])
    phone.text("确认")
    report = Report.objects.get()
    draft = ChatDraft.objects.get()
    assert report.photos.count() == 0 and draft.photos_attached == 0
    assert draft.photo_errors and "JPEG" in draft.photo_errors[0]
    assert sent_texts(wechat)[-1] == wording.photos_refused(1, report.ticket)
