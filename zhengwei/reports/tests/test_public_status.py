import pytest
from django.urls import reverse

from zhengwei.reports import links
from zhengwei.reports.models import State
from zhengwei.reports.tests.helpers import receive, resolved

pytestmark = pytest.mark.django_db


def test_the_status_page_needs_the_signed_token(world, client):
    report = receive(world)
    assert client.get(links.status_path(report.ticket)).status_code == 200
    wrong = reverse("reports:status", args=[report.ticket, "x" * 22])
    assert client.get(wrong).status_code == 404
    other = receive(world, phone="13800000002")
    # A token is bound to its ticket: sequential numbers do not open each other's pages.
    token = links.status_path(report.ticket).rstrip("/").split("/")[-1]
    assert client.get(reverse("reports:status", args=[other.ticket, token])).status_code == 404


def test_the_status_page_shows_the_public_notes_and_not_the_internal_ones(world, client):
    from zhengwei.reports import services

    report = receive(world)
    services.report_triage(
        actor=world["duty_officer"],
        report=report,
        priority="P1",
        public_note="正在核实",
        internal_note="报告人情绪激动",
    )
    body = client.get(links.status_path(report.ticket)).content.decode()
    assert "正在核实" in body and report.ticket in body
    assert "报告人情绪激动" not in body
    assert world["duty_officer"].username not in body


def test_the_citizen_rates_the_outcome_once(world, client):
    report = resolved(world)
    path = links.status_path(report.ticket)
    assert "满意" in client.get(path).content.decode()
    client.post(path, {"action": "rate", "rating": "4"})
    report.refresh_from_db()
    assert report.satisfaction == 4
    response = client.post(path, {"action": "rate", "rating": "1"}, follow=True)
    assert "已评价" in response.content.decode()
    report.refresh_from_db()
    assert report.satisfaction == 4


def test_the_citizen_rejects_the_closure_from_the_status_page(world, client):
    report = resolved(world)
    client.post(links.status_path(report.ticket), {"action": "reject", "reason": "水还没退"})
    report.refresh_from_db()
    assert report.state == State.REOPENED and report.escalation_level == 1


def test_nothing_can_be_rated_before_it_is_resolved(world, client):
    report = receive(world)
    response = client.post(
        links.status_path(report.ticket), {"action": "rate", "rating": "5"}, follow=True
    )
    assert "只有已办结" in response.content.decode()
    report.refresh_from_db()
    assert report.satisfaction is None
