"""The reporter hears of every public step in WeChat, in the office's words for each state; after
resolution they rate it with a number or reject the closure with 不满意."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.interactions import services, wording
from zhengwei.interactions.models import CitizenNotice, Conversation
from zhengwei.interactions.tests.helpers import OPENID, Phone, chat_report, sent_texts
from zhengwei.reports import services as reports
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import Channel, Hazard, State
from zhengwei.wechat.outbound.models import OutboundMessage, OutboundState, WindowKind
from zhengwei.wechat.outbound.windows import window_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks)


@pytest.fixture
def report(world, django_capture_on_commit_callbacks):
    """A chat report from a citizen whose 48-hour window is open."""
    return chat_report(world, OPENID, django_capture_on_commit_callbacks)


def act(capture, fn, **kwargs):
    with capture(execute=True):
        return fn(**kwargs)


def test_the_ticket_and_the_unit_reach_the_citizen_and_silent_states_stay_silent(
    world, report, wechat, django_capture_on_commit_callbacks
):
    duty = world["duty_officer"]
    act(
        django_capture_on_commit_callbacks,
        reports.report_triage,
        actor=duty,
        report=report,
        priority="P1",
    )
    act(
        django_capture_on_commit_callbacks,
        reports.report_dispatch,
        actor=duty,
        report=report,
        unit=world.unit,
    )
    texts = sent_texts(wechat)
    # received (the ticket) and dispatched; "triaged" is switched off by default.
    assert len(texts) == 2
    assert report.ticket in texts[0]
    assert world.unit.name in texts[1]


def test_the_officers_acknowledgement_is_told_to_the_citizen(
    world, report, wechat, django_capture_on_commit_callbacks
):
    act(
        django_capture_on_commit_callbacks,
        reports.report_ack,
        actor=world["duty_officer"],
        report=report,
    )
    assert sent_texts(wechat)[-1] == wording.default_note("ack", report)


def test_an_officers_own_note_is_sent_even_when_the_state_has_no_message(
    world, report, wechat, django_capture_on_commit_callbacks
):
    act(
        django_capture_on_commit_callbacks,
        reports.report_triage,
        actor=world["duty_officer"],
        report=report,
        priority="P2",
        public_note="请注意安全，勿涉水通行。",
    )
    assert sent_texts(wechat)[-1] == "请注意安全，勿涉水通行。"


def test_a_message_sent_by_an_officer_carries_the_officer(
    world, report, django_capture_on_commit_callbacks
):
    act(
        django_capture_on_commit_callbacks,
        reports.report_ack,
        actor=world["duty_officer"],
        report=report,
    )
    ack = CitizenNotice.objects.filter(report=report).order_by("id").last()
    assert ack.outbound.created_by == world["duty_officer"]
    first = CitizenNotice.objects.filter(report=report).order_by("id").first()
    assert first.outbound.created_by is None  # the ticket: sent by the system


def _resolve(world, report, capture):
    duty, unit = world["duty_officer"], world["unit_officer"]
    act(capture, reports.report_triage, actor=duty, report=report, priority="P1")
    act(capture, reports.report_dispatch, actor=duty, report=report, unit=world.unit)
    act(capture, reports.report_sign, actor=unit, report=report)
    act(capture, reports.report_resolve, actor=unit, report=report, public_note="积水已排除。")


def test_after_resolution_a_number_in_chat_is_the_rating(
    world, report, phone, wechat, django_capture_on_commit_callbacks
):
    _resolve(world, report, django_capture_on_commit_callbacks)
    asked = sent_texts(wechat)[-1]
    assert "积水已排除" in asked and "1" in asked and "5" in asked
    phone.text("5")
    report.refresh_from_db()
    assert report.satisfaction == 5
    assert sent_texts(wechat)[-1] == wording.rating_thanks(5)
    assert not Conversation.objects.exists()
    phone.text("4")  # asked once, answered once: a second number is an ordinary message
    assert Conversation.objects.get().items.get().text == "4"


def test_不满意_reopens_the_report_and_sends_it_to_the_duty_leader(
    world, report, phone, wechat, django_capture_on_commit_callbacks
):
    _resolve(world, report, django_capture_on_commit_callbacks)
    phone.text("不满意，水还没退")
    assert not Conversation.objects.exists()
    report.refresh_from_db()
    assert report.state == State.REOPENED and report.escalation_level == 1
    assert report.steps.filter(kind="citizen_reject", internal_note__contains="水还没退").exists()
    assert report.ticket in sent_texts(wechat)[-1]


def test_reports_without_a_wechat_reporter_send_nothing(
    world, wechat, django_capture_on_commit_callbacks
):
    act(
        django_capture_on_commit_callbacks,
        reports.report_receive,
        actor=world["duty_officer"],
        account=world.account,
        channel=Channel.PHONE,
        hazard=Hazard.LANDSLIDE,
        phone="13800001111",
    )
    assert not CitizenNotice.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_outside_the_window_the_message_waits_for_the_citizen(
    world, phone, wechat, django_capture_on_commit_callbacks
):
    act(
        django_capture_on_commit_callbacks,
        reports.report_receive,
        actor=Citizen(openid=OPENID, proof="h5_link"),
        account=world.account,
        channel=Channel.H5,
        hazard=Hazard.WATERLOGGING,
    )
    message = OutboundMessage.objects.get()
    assert message.state == OutboundState.WAITING_WINDOW and not sent_texts(wechat)
    phone.text("你好")
    message.refresh_from_db()
    assert message.state == OutboundState.SENT


def test_the_office_rewords_a_state_and_the_next_citizen_reads_the_new_words(
    world, report, wechat, django_capture_on_commit_callbacks
):
    services.reply_template_save(
        actor=world["duty_leader"],
        account=world.account,
        state=State.DISPATCHED,
        text="【福建防汛】{ticket} 已转 {unit}。{note}",
        active=True,
    )
    act(
        django_capture_on_commit_callbacks,
        reports.report_triage,
        actor=world["duty_officer"],
        report=report,
        priority="P1",
    )
    act(
        django_capture_on_commit_callbacks,
        reports.report_dispatch,
        actor=world["duty_officer"],
        report=report,
        unit=world.unit,
    )
    assert sent_texts(wechat)[-1] == f"【福建防汛】{report.ticket} 已转 {world.unit.name}。"


def test_only_office_leaders_and_duty_leaders_edit_templates_and_only_known_placeholders(world):
    for role in ("duty_officer", "operator", "office_reviewer"):
        with pytest.raises(PermissionDenied):
            services.reply_template_save(
                actor=world[role], account=world.account, state="received", text="x", active=True
            )
    with pytest.raises(ValidationError):
        services.reply_template_save(
            actor=world["office_leader"],
            account=world.account,
            state="received",
            text="工单 {tiket}",
            active=True,
        )


def test_a_reporter_whose_report_followed_a_merge_is_told_too(
    world, wechat, django_capture_on_commit_callbacks
):
    duty = world["duty_officer"]

    def chat_report(openid):
        window_open(world.account.pk, openid, WindowKind.MESSAGE)
        return act(
            django_capture_on_commit_callbacks,
            reports.report_receive,
            actor=Citizen(openid=openid, proof="wechat"),
            account=world.account,
            channel=Channel.CHAT,
            hazard=Hazard.WATERLOGGING,
        )

    a, b, c = chat_report("oA"), chat_report("oB"), chat_report("oC")
    act(
        django_capture_on_commit_callbacks,
        reports.report_merge,
        actor=duty,
        parent=b,
        duplicates=[c],
    )
    act(
        django_capture_on_commit_callbacks,
        reports.report_merge,
        actor=duty,
        parent=a,
        duplicates=[b],
    )
    # c followed b to a without a step of its own: its reporter still hears of it.
    assert any(a.ticket in t for t in sent_texts(wechat, "oC"))
