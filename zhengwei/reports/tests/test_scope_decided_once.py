"""A report's scope is decided once per request, however many buttons of the page ask."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwei.reports import policy as P
from zhengwei.reports import selectors, services
from zhengwei.reports.tests.helpers import receive, route_to_unit

pytestmark = pytest.mark.django_db


def test_the_actions_of_a_page_ask_the_database_nothing_the_second_time(world):
    report = receive(world)
    duty = world["duty_officer"]
    first = selectors.report_actions(user=duty, report=report)
    assert "triage" in first or "ack" in first
    with CaptureQueriesContext(connection) as queries:
        again = selectors.report_actions(user=duty, report=report)
    assert again == first
    assert len(queries) == 0


def test_a_dispatch_changes_the_unit_officers_scope_within_the_same_request(world):
    route_to_unit(world)
    report = receive(world)
    officer = world["unit_officer"]
    assert not P.report_in_scope(officer, report)
    services.report_triage_and_dispatch(actor=world["duty_officer"], report=report, priority="P2")
    report.refresh_from_db()
    assert report.assigned_unit == world.unit
    assert P.report_in_scope(officer, report)
