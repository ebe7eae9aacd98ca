"""Escalated reports rise to the top of the console with their level in words; leaders switch
emergency mode from the console."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.reports import services
from zhengwei.reports.models import EmergencyPeriod

pytestmark = pytest.mark.django_db


def cards(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-ticket="')[1:]]


def test_an_escalated_report_rises_to_the_top_with_its_level_in_words(
    world, client_for, new_report
):
    old = new_report(openid="oA", lives_in_danger=False)
    new_report(openid="oB", lives_in_danger=True)  # P0: normally first
    services.report_escalate(actor=world["duty_officer"], report=old, reason="督办")
    html = client_for(world["duty_officer"]).get("/duty/").content.decode()
    assert cards(html)[0] == old.ticket
    assert "已督办至带班领导" in html
    assert "升级时间" not in html and "escalated 1" not in html


def test_the_tick_escalates_an_unacknowledged_report_and_the_console_shows_it(
    world, client_for, new_report
):
    report = new_report(lives_in_danger=True)
    services.reports_escalate_overdue(now=timezone.now() + timedelta(minutes=5))
    html = client_for(world["duty_leader"]).get("/duty/").content.decode()
    assert cards(html)[0] == report.ticket
    assert "已督办至办公室领导" in html


def test_a_duty_leader_switches_emergency_mode_on_and_off(world, client_for):
    client = client_for(world["duty_leader"])
    html = client.get("/duty/").content.decode()
    assert 'data-testid="emergency-on"' in html
    response = client.post(
        "/duty/emergency/", {"account": world.account.pk, "on": "1", "reason": "台风红色预警"}
    )
    assert response.status_code == 302
    html = client.get("/duty/").content.decode()
    assert "应急模式" in html and "台风红色预警" in html
    assert 'data-testid="emergency-off"' in html
    client.post("/duty/emergency/", {"account": world.account.pk, "on": "0"})
    period = EmergencyPeriod.objects.get()
    assert period.ended_by == world["duty_leader"]


def test_a_duty_officer_sees_the_mode_but_cannot_switch_it(world, client_for):
    services.emergency_start(actor=world["office_leader"], account=world.account, reason="暴雨")
    client = client_for(world["duty_officer"])
    html = client.get("/duty/").content.decode()
    assert "暴雨" in html and 'data-testid="emergency-off"' not in html
    assert client.post("/duty/emergency/", {"account": world.account.pk}).status_code == 403
    assert EmergencyPeriod.objects.get().ended_at is None


def test_possible_duplicates_are_flagged_on_both_cards(world, client_for, new_report):
    first = new_report(openid="oA")
    second = new_report(openid="oB")  # same place, same hazard: suggested at intake
    assert list(second.suggested_duplicates.all()) == [first]
    html = client_for(world["duty_officer"]).get("/duty/").content.decode()
    for mine, other in ((first, second), (second, first)):
        after = html.split(f'data-ticket="{mine.ticket}"', 1)[1]
        card = after.split('data-testid="report-card"')[0]
        assert 'data-testid="same-event"' in card and other.ticket in card
