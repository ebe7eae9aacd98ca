"""The duty console shows new reports without reload: it polls changes/?cursor=N every second and
gets 204 when nothing changed, or the changed rows; a new report rings and notifies once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.duty.models import Change
from zhengwei.reports import services
from zhengwei.reports.models import Hazard, ReportView

pytestmark = pytest.mark.django_db


def changes(client, cursor):
    return client.get(f"/duty/changes/?cursor={cursor}")


def test_the_console_lists_open_reports_and_records_that_the_office_saw_them(
    world, client_for, new_report
):
    report = new_report()
    page = client_for(world["duty_officer"]).get("/duty/")
    assert page.status_code == 200
    assert f'data-ticket="{report.ticket}"' in page.content.decode()
    report.refresh_from_db()
    assert report.first_seen_by == world["duty_officer"]
    assert ReportView.objects.filter(report=report).count() == 1


def test_nothing_new_is_a_bodyless_204(world, client_for, new_report):
    new_report()
    client = client_for(world["duty_officer"])
    cursor = client.get("/duty/").context["cursor"]
    response = changes(client, cursor)
    assert response.status_code == 204 and response.content == b""


def test_a_new_report_arrives_in_the_next_poll_with_an_alert(world, client_for, new_report):
    client = client_for(world["duty_officer"])
    cursor = client.get("/duty/").context["cursor"]
    report = new_report(description="桥下积水齐腰深")
    data = changes(client, cursor).json()
    (item,) = data["reports"]
    assert item["ticket"] == report.ticket and item["alert"] is True
    assert "桥下积水齐腰深" in item["html"] and 'data-testid="ack"' in item["html"]
    # Rows younger than the lag keep the cursor behind them (late commits are not skipped) …
    assert data["cursor"] == cursor
    # … and once settled the cursor moves past them.
    Change.objects.update(at=timezone.now() - timedelta(seconds=10))
    settled = changes(client, cursor).json()["cursor"]
    assert settled > cursor and changes(client, settled).status_code == 204


def test_a_finished_report_leaves_the_console(world, client_for, new_report):
    report = new_report()
    client = client_for(world["duty_officer"])
    cursor = client.get("/duty/").context["cursor"]
    services.report_reject(actor=world["duty_officer"], report=report, reason="测试")
    Change.objects.create(account=world.account, kind="report", object_id=report.pk, verb="x")
    (item,) = changes(client, cursor).json()["reports"]
    assert item == {"id": report.pk, "dom_id": f"report-{report.pk}", "remove": True}


def test_lives_in_danger_raises_the_p0_alarm_with_the_110_119_hand_off(
    world, client_for, new_report
):
    new_report(hazard=Hazard.PEOPLE_TRAPPED, lives_in_danger=True, description="老人被困")
    page = client_for(world["duty_leader"]).get("/duty/").content.decode()
    assert 'data-testid="p0-alarm"' in page and "110" in page and "119" in page


def test_a_full_refresh_sends_every_open_row(world, client_for, new_report):
    a, b = new_report(), new_report(openid="oOther")
    data = client_for(world["duty_officer"]).get("/duty/changes/?cursor=0&full=1").json()
    assert data["full"] is True
    assert {i["ticket"] for i in data["reports"]} == {a.ticket, b.ticket}


@pytest.mark.parametrize("role", ["operator", "project_manager", "unit_officer", "auditor"])
def test_the_console_is_for_the_office_on_duty(world, client_for, role):
    client = client_for(world[role])
    assert client.get("/duty/").status_code == 403
    assert client.get("/duty/changes/?cursor=0").status_code == 403
