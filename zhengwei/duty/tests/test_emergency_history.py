"""The emergency-mode history: when it was on, who switched it on and off, why, the deadlines
that applied then, and what happened meanwhile."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.reports import services

pytestmark = pytest.mark.django_db


def test_each_period_shows_who_switched_it_why_and_the_deadlines_that_applied(
    world, client_for, settings
):
    settings.REPORT_ACK_EMERGENCY_DEADLINES = {"P0": 1, "P1": 4, "P2": 10, "P3": 20}
    start = timezone.now() - timedelta(hours=3, minutes=15)
    services.emergency_start(
        actor=world["duty_leader"], account=world.account, reason="台风“海棠”红色预警", now=start
    )
    services.emergency_end(
        actor=world["office_leader"], account=world.account, now=start + timedelta(hours=2)
    )
    # A later change of the setting does not rewrite what applied then.
    settings.REPORT_ACK_EMERGENCY_DEADLINES = {"P0": 5, "P1": 5, "P2": 5, "P3": 5}
    response = client_for(world["auditor"]).get("/duty/emergency/history/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="emergency-history"' in html
    row = html.split('data-testid="emergency-period"', 1)[1].split("</tr>", 1)[0]
    assert "台风“海棠”红色预警" in row
    assert str(world["duty_leader"]) in row and str(world["office_leader"]) in row
    assert "2 小时 0 分" in row or "2 h 0 min" in row
    assert "4 分钟" in row and "(10)" in row  # P1: 4 minutes in the emergency, 10 ordinarily


def test_an_open_period_says_it_is_still_on_and_counts_what_arrived(world, client_for, new_report):
    services.emergency_start(
        actor=world["duty_leader"],
        account=world.account,
        reason="暴雨",
        now=timezone.now() - timedelta(minutes=30),
    )
    new_report(lives_in_danger=True)
    later = timezone.now() + timedelta(minutes=3)
    services.reports_escalate_overdue(now=later)
    with freeze_time(later + timedelta(minutes=1), tick=True):
        html = client_for(world["duty_officer"]).get("/duty/emergency/history/").content.decode()
    assert 'data-testid="emergency-now"' in html
    row = html.split('data-testid="emergency-period"', 1)[1].split("</tr>", 1)[0]
    assert "仍在应急模式" in row or "still on" in row
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split('class="text-end"')[1:]]
    assert cells == ["1", "1"]  # one report received, escalated for want of acknowledgement


def test_with_no_emergency_yet_the_page_says_so(world, client_for):
    html = client_for(world["office_leader"]).get("/duty/emergency/history/").content.decode()
    assert 'data-testid="emergency-history-empty"' in html


def test_the_contractor_cannot_read_the_history(world, client_for):
    services.emergency_start(actor=world["duty_leader"], account=world.account, reason="暴雨")
    response = client_for(world["operator"]).get("/duty/emergency/history/")
    assert response.status_code == 403
    assert "暴雨" not in response.content.decode()
    assert client_for(world["auditor"]).get("/duty/emergency/history/").status_code == 200
