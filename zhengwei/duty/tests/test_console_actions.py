"""One click on the console: acknowledge (the headline metric), dispatch, reply, hand off."""

import pytest

from zhengwei.interactions.tests.helpers import sent_texts
from zhengwei.reports.models import Hazard, State
from zhengwei.wechat.outbound.models import WindowKind
from zhengwei.wechat.outbound.windows import window_open

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report(world, new_report):
    window_open(world.account.pk, "oDutyCitizen1", WindowKind.MESSAGE)
    return new_report()


def post(client, capture, ticket, verb, **data):
    with capture(execute=True):
        return client.post(f"/duty/reports/{ticket}/{verb}/", data, **HTMX)


def test_acknowledging_records_the_officer_and_tells_the_citizen(
    world, client_for, report, _isolated, django_capture_on_commit_callbacks
):
    client = client_for(world["duty_officer"])
    response = post(client, django_capture_on_commit_callbacks, report.ticket, "ack")
    assert response.status_code == 200 and 'data-testid="ack"' not in response.content.decode()
    report.refresh_from_db()
    assert report.first_ack_at is not None and report.handler == world["duty_officer"]
    assert len(sent_texts(_isolated, "oDutyCitizen1")) == 2  # the ticket, then the acknowledgement


def test_dispatch_triages_a_new_report_and_sends_it_to_the_chosen_unit(
    world, client_for, report, django_capture_on_commit_callbacks
):
    client = client_for(world["duty_officer"])
    post(
        client,
        django_capture_on_commit_callbacks,
        report.ticket,
        "dispatch",
        priority="P1",
        unit=world.unit.pk,
    )
    report.refresh_from_db()
    assert report.state == State.DISPATCHED and report.priority == "P1"
    assert report.assigned_unit == world.unit


def test_dispatch_without_a_routing_rule_explains_what_to_do(
    world, client_for, report, django_capture_on_commit_callbacks
):
    report.county_code = ""
    report.save(update_fields=["county_code"])
    client = client_for(world["duty_officer"])
    response = post(client, django_capture_on_commit_callbacks, report.ticket, "dispatch")
    assert 'role="alert"' in response.content.decode()


def test_a_reply_reaches_the_citizens_phone_and_counts_as_contact(
    world, client_for, report, _isolated, django_capture_on_commit_callbacks
):
    client = client_for(world["duty_officer"])
    post(
        client,
        django_capture_on_commit_callbacks,
        report.ticket,
        "reply",
        text="抢险队20分钟内到达，请勿涉水。",
    )
    report.refresh_from_db()
    assert report.contacted_at is not None
    assert sent_texts(_isolated, "oDutyCitizen1")[-1] == "抢险队20分钟内到达，请勿涉水。"


def test_the_110_119_hand_off_escalates_the_report(
    world, client_for, new_report, django_capture_on_commit_callbacks
):
    report = new_report(hazard=Hazard.PEOPLE_TRAPPED, lives_in_danger=True)
    client = client_for(world["duty_officer"])
    page = client.get("/duty/").content.decode()
    assert 'data-testid="escalate"' in page
    post(client, django_capture_on_commit_callbacks, report.ticket, "escalate")
    report.refresh_from_db()
    assert report.state == State.ESCALATED and report.escalation_level >= 1


def test_people_outside_the_office_cannot_act(world, client_for, report):
    response = client_for(world["operator"]).post(f"/duty/reports/{report.ticket}/ack/", **HTMX)
    assert response.status_code == 403
