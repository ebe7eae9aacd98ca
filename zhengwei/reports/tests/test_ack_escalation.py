"""An unacknowledged report climbs in minutes: duty leader, then office leader, each notified."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from zhengwei.notify.models import Delivery, Notification
from zhengwei.reports import services
from zhengwei.reports.models import Report, StepKind
from zhengwei.reports.tests.helpers import receive

pytestmark = pytest.mark.django_db

START = "2026-07-28 10:00:00+08:00"


@pytest.fixture
def leaders(world):
    for role, phone in (("duty_leader", "13900000001"), ("office_leader", "13900000002")):
        world[role].phone = phone
        world[role].save()
    return world


@pytest.mark.parametrize(
    ("kw", "minutes"),
    [({"lives_in_danger": True}, 2), ({"hazard": "landslide"}, 10), ({}, 30)],
    ids=["P0", "P1", "P2"],
)
def test_an_unacknowledged_report_goes_to_the_duty_leader_at_its_ack_deadline(leaders, kw, minutes):
    world = leaders
    with freeze_time(START) as clock:
        report = receive(world, **kw)
        clock.tick(timedelta(minutes=minutes) - timedelta(seconds=1))
        assert services.reports_escalate_overdue() == []
        clock.tick(timedelta(seconds=2))
        assert services.reports_escalate_overdue() == [(report.ticket, 1)]
        assert services.reports_escalate_overdue() == []
        clock.tick(timedelta(minutes=minutes))
        assert services.reports_escalate_overdue() == [(report.ticket, 2)]
    steps = list(report.steps.filter(kind=StepKind.SUPERVISE))
    assert [s.data["level"] for s in steps] == [1, 2]
    assert all(s.data["deadline"] == "ack" and s.data["automatic"] for s in steps)
    assert steps[0].data["notified"] == [world["duty_leader"].pk]
    assert steps[1].data["notified"] == [world["office_leader"].pk]
    assert "受理" in steps[0].internal_note


def test_each_level_is_told_on_the_console_and_by_sms(leaders, django_capture_on_commit_callbacks):
    world = leaders
    with freeze_time(START) as clock:
        report = receive(world, lives_in_danger=True)
        clock.tick(timedelta(minutes=2, seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            services.reports_escalate_overdue()
    note = Notification.objects.get(recipient=world["duty_leader"])
    assert note.urgent and note.kind == "report.escalated"
    assert report.ticket in note.title and "带班领导" in note.title
    assert note.url.endswith(f"/reports/{report.ticket}/")
    assert "13800001234" not in note.title + note.body  # the reporter's phone never leaves
    sms = Delivery.objects.get(notification=note, channel="sms")
    assert sms.state == "sent" and sms.address == "139****0001"
    assert not Notification.objects.filter(recipient=world["office_leader"]).exists()


def test_an_acknowledged_report_is_not_escalated_for_acknowledgement(world):
    with freeze_time(START) as clock:
        report = receive(world, lives_in_danger=True)
        clock.tick(timedelta(minutes=1))
        services.report_ack(actor=world["duty_officer"], report=report)
        clock.tick(timedelta(minutes=30))
        assert services.reports_escalate_overdue() == []
        # …but its handling deadline (P0: 2 hours) still escalates.
        clock.tick(timedelta(hours=2))
        assert services.reports_escalate_overdue() == [(report.ticket, 1)]
    step = report.steps.filter(kind=StepKind.SUPERVISE).get()
    assert step.data["deadline"] == "handling"


def test_ack_deadlines_are_configurable(world, settings):
    settings.REPORT_ACK_DEADLINES = {"P0": 5, "P1": 10, "P2": 30, "P3": 60}
    with freeze_time(START) as clock:
        report = receive(world, lives_in_danger=True)
        clock.tick(timedelta(minutes=4))
        assert services.reports_escalate_overdue() == []
        clock.tick(timedelta(minutes=1, seconds=1))
        assert services.reports_escalate_overdue() == [(report.ticket, 1)]


def test_emergency_mode_shortens_the_ack_deadlines(world):
    with freeze_time(START) as clock:
        services.emergency_start(
            actor=world["duty_leader"], account=world.account, reason="台风“海棠”登陆"
        )
        report = receive(world)  # P2: 30 minutes normally, 10 in emergency mode
        clock.tick(timedelta(minutes=10, seconds=1))
        assert services.reports_escalate_overdue() == [(report.ticket, 1)]
        services.emergency_end(actor=world["office_leader"], account=world.account)
        other = receive(world)
        clock.tick(timedelta(minutes=10, seconds=1))
        assert (other.ticket, 1) not in services.reports_escalate_overdue()


def test_only_leaders_switch_emergency_mode_and_everyone_on_the_desk_hears(world):
    with pytest.raises(PermissionDenied):
        services.emergency_start(actor=world["duty_officer"], account=world.account, reason="x")
    with pytest.raises(ValidationError):
        services.emergency_start(actor=world["duty_leader"], account=world.account, reason=" ")
    period = services.emergency_start(
        actor=world["duty_leader"], account=world.account, reason="暴雨红色预警"
    )
    assert services.emergency_current(world.account) == period
    with pytest.raises(ValidationError):
        services.emergency_start(actor=world["office_leader"], account=world.account, reason="再次")
    told = set(
        Notification.objects.filter(kind="reports.emergency").values_list("recipient", flat=True)
    )
    assert told == {world[r].pk for r in ("duty_officer", "duty_leader", "office_leader")}
    services.emergency_end(actor=world["office_leader"], account=world.account)
    assert services.emergency_current(world.account) is None
    period.refresh_from_db()
    assert period.ended_by == world["office_leader"]


def test_the_escalation_level_is_said_in_words(world):
    report = receive(world)
    assert report.escalation_label == "由值班员处理"
    services.report_escalate(actor=world["duty_officer"], report=report, reason="督办")
    assert Report.objects.get(pk=report.pk).escalation_label == "已督办至带班领导"
