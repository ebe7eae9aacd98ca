"""不满意 is always heard; a chat draft closes when the report is filed another way; every reporter
of a merged group hears each public step of the surviving report."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.interactions.models import ChatDraft, CitizenNotice, Conversation, DraftState
from zhengwei.interactions.tests.helpers import OPENID, Phone, sent_texts
from zhengwei.notify.models import Notification
from zhengwei.reports import links
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel, Hazard, State
from zhengwei.wechat.outbound.models import WindowKind
from zhengwei.wechat.outbound.windows import window_open

pytestmark = pytest.mark.django_db
OTHER = "oMergedReporter2"


@pytest.fixture
def phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks)


def act(capture, fn, **kwargs):
    with capture(execute=True):
        return fn(**kwargs)


def chat_report(world, capture, openid=OPENID, channel=Channel.CHAT, proof="wechat"):
    window_open(world.account.pk, openid, WindowKind.MESSAGE)
    return act(
        capture,
        reports.report_receive,
        actor=Citizen(openid=openid, proof=proof),
        account=world.account,
        channel=channel,
        hazard=Hazard.WATERLOGGING,
        description="上街镇路口积水",
        lat=26.0612,
        lng=119.1952,
    )


def resolve(world, report, capture):
    duty, unit = world["duty_officer"], world["unit_officer"]
    act(capture, reports.report_triage, actor=duty, report=report, priority="P1")
    act(capture, reports.report_dispatch, actor=duty, report=report, unit=world.unit)
    act(capture, reports.report_sign, actor=unit, report=report)
    act(capture, reports.report_resolve, actor=unit, report=report, public_note="积水已排除。")


def test_不满意_after_a_rating_still_reopens_escalates_and_answers(
    world, phone, wechat, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    report = chat_report(world, capture)
    resolve(world, report, capture)
    phone.text("4")
    report.refresh_from_db()
    assert report.satisfaction == 4
    phone.text("不满意，路口还在积水")
    report.refresh_from_db()
    assert report.state == State.REOPENED and report.escalation_level == 1
    assert not Conversation.objects.exists()  # not "其他" in the inbox
    answer = sent_texts(wechat)[-1]
    assert report.ticket in answer and "重新打开" in answer
    assert Notification.objects.filter(
        recipient=world["duty_leader"], kind="report.escalated"
    ).exists()


def test_不满意_after_the_reopen_window_goes_to_the_inbox(
    world, phone, wechat, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_REOPEN_WINDOW_HOURS = 24
    capture = django_capture_on_commit_callbacks
    with freeze_time(timezone.now() - timedelta(days=3)):
        report = chat_report(world, capture)
        resolve(world, report, capture)
    phone.text("不满意")
    report.refresh_from_db()
    assert report.state == State.RESOLVED
    assert Conversation.objects.exists()


def test_a_draft_closes_when_the_report_is_filed_by_the_h5_form_and_replies_go_where_they_belong(
    world, phone, wechat, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    phone.click("REPORT")  # 我报灾情: a draft opens, the H5 link is sent
    draft = ChatDraft.objects.get()
    assert draft.state == DraftState.COLLECTING
    report = chat_report(world, capture, channel=Channel.H5, proof="h5_link")
    draft.refresh_from_db()
    assert draft.state == DraftState.ABANDONED
    phone.text("收到")
    assert Conversation.objects.get().items.get().text == "收到"
    resolve(world, report, capture)
    phone.text("不满意，路口还在积水")
    report.refresh_from_db()
    assert report.state == State.REOPENED


def test_不满意_beats_an_open_draft(world, phone, wechat, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    report = chat_report(world, capture)
    resolve(world, report, capture)
    phone.click("REPORT")  # a new draft is open…
    phone.text("不满意，路口还在积水")  # …but this is about the resolved report
    report.refresh_from_db()
    assert report.state == State.REOPENED
    assert "不满意" not in str(ChatDraft.objects.get(state=DraftState.COLLECTING).texts)


def test_every_reporter_of_a_merged_group_hears_each_public_step(
    world, wechat, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    a = chat_report(world, capture)
    b = chat_report(world, capture, openid=OTHER)
    act(capture, reports.report_mark_duplicate, actor=world["duty_officer"], report=b, parent=a)
    before = len(sent_texts(wechat, OTHER))
    resolve(world, a, capture)
    told = sent_texts(wechat, OTHER)[before:]
    assert any("积水已排除" in t and b.ticket in t and a.ticket in t for t in told)
    # …and B's reporter may rate or reject the surviving report
    notice = CitizenNotice.objects.filter(openid=OTHER, asks_rating=True).get()
    assert notice.report == a


def test_a_merged_report_s_status_page_follows_the_surviving_one(
    world, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    a = chat_report(world, capture)
    b = chat_report(world, capture, openid=OTHER)
    act(capture, reports.report_mark_duplicate, actor=world["duty_officer"], report=b, parent=a)
    resolve(world, a, capture)
    html = client.get(links.status_path(b.ticket)).content.decode()
    assert a.ticket in html and "积水已排除" in html
    assert 'data-testid="reject-form"' in html
    client.post(links.status_path(b.ticket), {"action": "reject", "reason": "还在积水"})
    a.refresh_from_db()
    assert a.state == State.REOPENED
