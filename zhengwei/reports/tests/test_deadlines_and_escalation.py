from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.reports import services
from zhengwei.reports.models import Report, State, StepKind
from zhengwei.reports.tests.helpers import dispatched, receive, resolved
from zhengwei.reports.workflow import IllegalTransition

pytestmark = pytest.mark.django_db

START = "2026-07-28 10:00:00+08:00"


@pytest.mark.parametrize(
    ("priority", "hours"), [("P0", 2), ("P1", 24), ("P2", 7 * 24), ("P3", 15 * 24)]
)
def test_the_deadline_follows_the_priority(world, priority, hours):
    with freeze_time(START):
        report = receive(world)
        services.report_triage(actor=world["duty_officer"], report=report, priority=priority)
        report.refresh_from_db()
        assert report.due_at == timezone.now() + timedelta(hours=hours)


def test_deadlines_are_configurable(world, settings):
    settings.REPORT_DEADLINES = {"P0": 30, "P1": 60, "P2": 120, "P3": 240}
    with freeze_time(START):
        report = receive(world, lives_in_danger=True)
        assert report.priority == "P0"
        assert report.due_at == timezone.now() + timedelta(minutes=30)


def test_lives_in_danger_makes_a_report_p0_from_the_start(world):
    report = receive(world, lives_in_danger=True)
    assert report.priority == "P0"
    assert "110" in report.steps.first().public_note


def test_the_clock_runs_from_the_time_of_the_call(world):
    with freeze_time(START):
        call_time = timezone.now() - timedelta(hours=3)
        report = receive(
            world,
            actor=world["duty_officer"],
            channel="phone",
            submitted_at=call_time,
            hazard="landslide",
        )
        assert report.due_at == call_time + timedelta(hours=24)


def test_an_overdue_report_goes_to_the_duty_leader_then_the_office_leader(world, events):
    with freeze_time(START) as clock:
        report = dispatched(world)  # P1: due in 24 h
        clock.tick(timedelta(hours=23))
        assert services.reports_escalate_overdue() == []
        clock.tick(timedelta(hours=1, minutes=1))
        assert services.reports_escalate_overdue() == [(report.ticket, 1)]
        assert services.reports_escalate_overdue() == []  # idempotent
        report.refresh_from_db()
        assert report.escalation_level == 1
        assert report.state == State.DISPATCHED  # 督办 does not change the state
        first = events.named("report.escalated")[-1]
        assert first["automatic"] is True
        assert first["notify_user_ids"] == [world["duty_leader"].pk]
        clock.tick(timedelta(hours=24))
        assert services.reports_escalate_overdue() == [(report.ticket, 2)]
        assert events.named("report.escalated")[-1]["notify_user_ids"] == [
            world["office_leader"].pk
        ]
        clock.tick(timedelta(days=30))
        assert services.reports_escalate_overdue() == []
    steps = report.steps.filter(kind=StepKind.SUPERVISE)
    assert steps.count() == 2
    assert all(s.actor is None and s.actor_label == "系统" for s in steps)


def test_a_long_missed_tick_escalates_one_step_per_level(world):
    with freeze_time(START) as clock:
        report = receive(world, lives_in_danger=True)  # P0, 2 h
        clock.tick(timedelta(hours=10))
        assert services.reports_escalate_overdue() == [(report.ticket, 1), (report.ticket, 2)]


def test_resolved_and_closed_reports_are_never_escalated(world):
    with freeze_time(START) as clock:
        report = resolved(world)
        clock.tick(timedelta(days=40))
        assert services.reports_escalate_overdue() == []
        assert not report.is_overdue()


def test_the_tick_command_escalates(world):
    with freeze_time(START) as clock:
        report = receive(world, lives_in_danger=True)
        clock.tick(timedelta(minutes=2, seconds=1))  # P0 not acknowledged in 2 minutes
        call_command("reports_tick")
    assert Report.objects.get(pk=report.pk).escalation_level == 1


def test_an_emergency_escalation_makes_it_p0_and_alerts_the_duty_leader(world, events):
    with freeze_time(START):
        report = receive(world)
        services.report_escalate(
            actor=world["duty_officer"], report=report, reason="已转119", emergency=True
        )
        report.refresh_from_db()
        assert report.state == State.ESCALATED
        assert report.priority == "P0"
        assert report.due_at <= timezone.now() + timedelta(hours=2)
    payload = events.named("report.escalated")[-1]
    assert payload["emergency"] is True
    assert world["duty_leader"].pk in payload["notify_user_ids"]


def test_supervision_stops_at_the_office_leader(world):
    report = receive(world)
    for _ in range(2):
        services.report_escalate(actor=world["duty_officer"], report=report, reason="督办")
    with pytest.raises(IllegalTransition):
        services.report_escalate(actor=world["duty_officer"], report=report, reason="督办")


def test_reopening_restarts_the_clock(world):
    with freeze_time(START) as clock:
        report = resolved(world)
        services.report_close(actor=world["duty_officer"], report=report)
        clock.tick(timedelta(days=3))
        services.report_reopen(actor=world["duty_officer"], report=report, reason="新情况")
        report.refresh_from_db()
        assert report.due_at == timezone.now() + timedelta(hours=24)
        assert report.resolved_at is None
