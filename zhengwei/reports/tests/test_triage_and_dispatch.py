"""The duty console's one click: triage then dispatch, in one transaction."""

import pytest
from django.core.exceptions import ValidationError

from zhengwei.reports import services
from zhengwei.reports.models import State
from zhengwei.reports.tests.helpers import put_on_duty, receive, route_to_unit
from zhengwei.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_received_report_is_triaged_and_dispatched_in_one_call(world):
    route_to_unit(world)
    put_on_duty(world["unit_officer"], world.unit)
    report = receive(world)
    services.report_triage_and_dispatch(actor=world["duty_officer"], report=report, priority="P1")
    report.refresh_from_db()
    assert report.state == State.DISPATCHED
    assert report.priority == "P1"
    assert report.assigned_unit == world.unit
    assert report.assignee == world["unit_officer"]
    assert [s.kind for s in report.steps.order_by("pk")][-2:] == ["triage", "dispatch"]


def test_a_dispatch_that_fails_leaves_the_report_untriaged(world):
    report = receive(world)  # no routing rule, no unit chosen: the dispatch must fail
    with pytest.raises(ValidationError):
        services.report_triage_and_dispatch(
            actor=world["duty_officer"], report=report, priority="P1"
        )
    report.refresh_from_db()
    assert report.state == State.RECEIVED
    assert not report.steps.filter(kind="triage").exists()


def test_a_unit_of_another_office_is_refused(world):
    report = receive(world)
    stranger = OrganisationFactory(name="外省县防办", kind="unit")
    with pytest.raises(ValidationError):
        services.report_triage_and_dispatch(
            actor=world["duty_officer"], report=report, priority="P2", unit=stranger
        )
    report.refresh_from_db()
    assert report.state == State.RECEIVED
