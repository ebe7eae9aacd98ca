import pytest
from django.urls import reverse

from zhengwei.reports.models import Report, State
from zhengwei.reports.tests.helpers import citizen, dispatched, jpeg, receive, route_to_unit, upload

pytestmark = pytest.mark.django_db


def test_the_report_list_filters_by_state_priority_hazard_county_and_overdue(world, client_for):
    urgent = receive(world, actor=citizen("o-1"), lives_in_danger=True, hazard="people_trapped")
    calm = receive(world, actor=citizen("o-2"), phone="13800000002", lat=26.4, lng=118.3)
    client = client_for(world["duty_officer"])

    def tickets(**params):
        body = client.get(reverse("reports:list"), params).content.decode()
        return {t for t in (urgent.ticket, calm.ticket) if t in body}

    assert tickets() == {urgent.ticket, calm.ticket}
    assert tickets(priority="P0") == {urgent.ticket}
    assert tickets(hazard="waterlogging") == {calm.ticket}
    assert tickets(county="350121") == {urgent.ticket}
    assert tickets(state="open") == {urgent.ticket, calm.ticket}
    assert tickets(state="done") == set()
    assert tickets(overdue="on") == set()


def test_the_list_answers_htmx_with_just_the_table(world, client_for):
    report = receive(world)
    response = client_for(world["duty_officer"]).get(
        reverse("reports:list"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="report-table"' in body and "<html" not in body
    assert report.ticket in body


def test_the_detail_page_shows_the_timeline_and_only_allowed_actions(world, client_for):
    report = receive(world)
    body = (
        client_for(world["duty_officer"])
        .get(reverse("reports:detail", args=[report.ticket]))
        .content.decode()
    )
    assert 'data-kind="receive"' in body
    for verb in ("ack", "triage", "reject", "refer", "duplicate", "escalate"):
        assert f'data-testid="action-{verb}"' in body
    for verb in ("sign", "close", "resolve"):
        assert f'data-testid="action-{verb}"' not in body


def test_the_duty_officer_drives_a_report_from_the_detail_page(world, client_for):
    route_to_unit(world)
    report = receive(world)
    client = client_for(world["duty_officer"])
    act = lambda verb, **data: client.post(  # noqa: E731
        reverse("reports:act", args=[report.ticket, verb]), data
    )
    assert act("triage", priority="P1", hazard="flash_flood").status_code == 302
    act("dispatch")
    report.refresh_from_db()
    assert report.state == State.DISPATCHED and report.assigned_unit == world.unit
    unit = client_for(world["unit_officer"])
    unit.post(reverse("reports:act", args=[report.ticket, "sign"]))
    unit.post(reverse("reports:act", args=[report.ticket, "resolve"]), {"public_note": "已处置"})
    report.refresh_from_db()
    assert report.state == State.RESOLVED


def test_an_illegal_action_shows_a_message_instead_of_failing(world, client_for):
    report = receive(world)
    client = client_for(world["duty_officer"])
    response = client.post(reverse("reports:act", args=[report.ticket, "close"]), follow=True)
    assert response.status_code == 200
    assert "不能变为" in response.content.decode()
    response = client.post(reverse("reports:act", args=[report.ticket, "reject"]), follow=True)
    assert "不予受理的理由" in response.content.decode()


def test_a_unit_officer_cannot_act_as_the_duty_officer(world, client_for):
    report = dispatched(world)
    response = client_for(world["unit_officer"]).post(
        reverse("reports:act", args=[report.ticket, "reject"]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_the_duty_officer_enters_a_phone_call_and_triages_it_at_once(world, client_for):
    client = client_for(world["duty_officer"])
    assert client.get(reverse("reports:phone_in")).status_code == 200
    response = client.post(
        reverse("reports:phone_in"),
        {
            "hazard": "landslide",
            "description": "后山滑坡",
            "phone": "13800001234",
            "name": "陈先生",
            "address": "闽侯县南屿镇",
            "datum": "wgs84",
            "priority": "P1",
            "photos": [upload(jpeg())],
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.ticket in response["Location"]
    assert report.channel == "phone" and report.state == State.TRIAGED
    assert report.first_ack_at is not None and report.handler == world["duty_officer"]
    assert report.county_name == "闽侯县" and report.photos.count() == 1


def test_a_unit_officer_reports_for_the_unit_and_keeps_seeing_it(world, client_for):
    client = client_for(world["unit_officer"])
    client.post(
        reverse("reports:phone_in"),
        {"hazard": "house_damage", "lat": "26.16", "lng": "119.10", "datum": "wgs84"},
    )
    report = Report.objects.get()
    assert report.channel == "unit" and report.first_ack_at is None
    assert report.ticket in client.get(reverse("reports:list")).content.decode()


def test_the_phone_in_form_explains_bad_input(world, client_for):
    response = client_for(world["duty_officer"]).post(
        reverse("reports:phone_in"), {"hazard": "landslide", "phone": "999", "datum": "wgs84"}
    )
    assert response.status_code == 200
    assert "11位手机号" in response.content.decode()
    assert not Report.objects.exists()


def test_the_navigation_offers_reports_to_the_office_and_counts_to_the_contractor(
    world, client_for
):
    office = client_for(world["duty_officer"]).get(reverse("console:home")).content.decode()
    link = lambda name: f'href="{reverse(name)}"'  # noqa: E731
    assert link("reports:list") in office and link("reports:phone_in") in office
    contractor = client_for(world["editor"]).get(reverse("console:home")).content.decode()
    assert link("reports:list") not in contractor
    assert link("reports:counts") in contractor
