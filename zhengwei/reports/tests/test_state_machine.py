import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.reports import services, workflow
from zhengwei.reports.models import ReportStep, State, StepKind
from zhengwei.reports.tests.helpers import citizen, dispatched, receive, resolved
from zhengwei.reports.workflow import IllegalTransition

pytestmark = pytest.mark.django_db


def test_a_report_walks_the_whole_way_and_every_step_is_its_own_row(world):
    duty, officer = world["duty_officer"], world["unit_officer"]
    report = receive(world)
    services.report_triage(actor=duty, report=report, priority="P2")
    services.report_dispatch(actor=duty, report=report, unit=world.unit)
    services.report_sign(actor=officer, report=report)
    services.report_contact(actor=officer, report=report, internal_note="电话联系")
    services.report_progress(actor=officer, report=report, public_note="抽排中")
    services.report_resolve(actor=officer, report=report)
    services.report_close(actor=duty, report=report)
    report.refresh_from_db()
    assert report.state == State.CLOSED
    moves = [
        (s.kind, s.from_state, s.to_state)
        for s in ReportStep.objects.filter(report=report).exclude(kind=StepKind.ACK)
    ]
    assert moves == [
        ("receive", "", "received"),
        ("triage", "received", "triaged"),
        ("dispatch", "triaged", "dispatched"),
        ("sign", "dispatched", "signed"),
        ("contact", "signed", "contacted"),
        ("progress", "contacted", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("close", "resolved", "closed"),
    ]
    assert all(s.at for s in report.steps.all())
    assert report.steps.get(kind="sign").actor == officer


def test_each_step_records_who_acted_and_the_notes(world):
    report = receive(world)
    services.report_triage(
        actor=world["duty_officer"],
        report=report,
        priority="P1",
        public_note="正在核实",
        internal_note="先打电话",
    )
    step = report.steps.get(kind=StepKind.TRIAGE)
    assert step.actor == world["duty_officer"]
    assert step.public_note == "正在核实"
    assert step.internal_note == "先打电话"
    receive_step = report.steps.get(kind=StepKind.RECEIVE)
    assert receive_step.actor is None and receive_step.actor_label == "市民"


@pytest.mark.parametrize(
    "move",
    [
        lambda w, r: services.report_close(actor=w["duty_officer"], report=r),
        lambda w, r: services.report_sign(actor=w["unit_officer"], report=r),
        lambda w, r: services.report_resolve(actor=w["duty_officer"], report=r),
        lambda w, r: services.report_rate(actor=w["duty_officer"], report=r, rating=5),
        lambda w, r: services.report_reopen(actor=w["duty_officer"], report=r, reason="x"),
    ],
)
def test_illegal_moves_from_received_raise_and_leave_no_step(world, move):
    report = receive(world)
    before = report.steps.count()
    with pytest.raises((IllegalTransition, PermissionDenied)):
        move(world, report)
    report.refresh_from_db()
    assert report.state == State.RECEIVED
    assert report.steps.count() == before


def test_a_closed_report_cannot_be_triaged_or_dispatched_again(world):
    report = resolved(world)
    services.report_close(actor=world["duty_officer"], report=report)
    with pytest.raises(IllegalTransition):
        services.report_triage(actor=world["duty_officer"], report=report, priority="P0")
    with pytest.raises(IllegalTransition):
        services.report_dispatch(actor=world["duty_officer"], report=report, unit=world.unit)


def test_rejecting_needs_a_reason_and_closes_honestly(world):
    report = receive(world)
    with pytest.raises(ValidationError):
        services.report_reject(actor=world["duty_officer"], report=report, reason="  ")
    services.report_reject(actor=world["duty_officer"], report=report, reason="测试信息")
    report.refresh_from_db()
    assert report.state == State.REJECTED
    assert report.closed_at is not None
    assert report.steps.get(kind="reject").internal_note == "测试信息"


def test_referring_needs_a_destination(world):
    report = receive(world)
    with pytest.raises(ValidationError):
        services.report_refer(actor=world["duty_officer"], report=report, to="")
    services.report_refer(actor=world["duty_officer"], report=report, to="12345")
    report.refresh_from_db()
    assert report.state == State.REFERRED
    assert "12345" in report.steps.get(kind="refer").public_note


def test_only_an_officer_of_the_assigned_unit_may_sign(world):
    report = dispatched(world)
    with pytest.raises(PermissionDenied):
        services.report_sign(actor=world["duty_officer"], report=report)
    services.report_sign(actor=world["unit_officer"], report=report)
    report.refresh_from_db()
    assert report.assignee == world["unit_officer"]


def test_the_first_handling_by_a_duty_officer_is_the_acknowledgement(world):
    report = receive(world)
    assert report.first_ack_at is None
    services.report_triage(actor=world["duty_officer"], report=report, priority="P2")
    report.refresh_from_db()
    assert report.first_ack_at is not None
    assert report.handler == world["duty_officer"]
    assert report.steps.filter(kind=StepKind.ACK).count() == 1


def test_an_explicit_acknowledgement_tells_the_citizen_and_happens_once(world, events):
    report = receive(world)
    services.report_ack(actor=world["duty_officer"], report=report)
    step = report.steps.get(kind=StepKind.ACK)
    assert report.ticket in step.public_note
    assert events.named("report.acknowledged")
    with pytest.raises(IllegalTransition):
        services.report_ack(actor=world["duty_officer"], report=report)


def test_every_state_change_publishes_an_event_with_both_states(world, events):
    report = dispatched(world)
    changes = [(e["from_state"], e["to_state"]) for e in events.named("report.state_changed")]
    assert changes == [("received", "triaged"), ("triaged", "dispatched")]
    assert all(e["report_id"] == report.pk for e in events.named("report.state_changed"))


def test_events_are_published_only_after_commit(world, django_capture_on_commit_callbacks):
    from zhengwei.lib import events as bus

    seen = []
    bus.subscribe("report.received", lambda event, **p: seen.append(p["ticket"]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = receive(world)
    assert seen == []
    for callback in callbacks:
        callback()
    assert report.ticket in seen


def test_a_citizen_may_dispute_a_resolution_which_reopens_and_escalates(world, events):
    report = resolved(world)
    services.report_citizen_reject_closure(actor=citizen(), report=report, reason="水还没退")
    report.refresh_from_db()
    assert report.state == State.REOPENED
    assert report.reopen_count == 1
    assert report.escalation_level == 1
    kinds = list(report.steps.values_list("kind", flat=True))[-2:]
    assert kinds == [StepKind.CITIZEN_REJECT, StepKind.SUPERVISE]
    assert events.named("report.escalated")[-1]["level"] == 1


def test_somebody_else_cannot_dispute_a_citizens_report(world):
    report = resolved(world)
    with pytest.raises(PermissionDenied):
        services.report_citizen_reject_closure(actor=citizen("o-other"), report=report)


def test_the_transition_table_covers_every_state_and_closed_states_only_reopen():
    from zhengwei.reports.models import State as S

    assert set(workflow.TRANSITIONS) == set(S)
    for closed in workflow.CLOSED_STATES:
        assert workflow.TRANSITIONS[closed] == {S.REOPENED}
    assert workflow.open311_status(S.RESOLVED) == "closed"
    assert workflow.open311_status(S.ESCALATED) == "open"
