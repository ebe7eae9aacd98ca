from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengwei.newsroom import services

pytestmark = pytest.mark.django_db


def test_the_week_shows_planned_pushes_and_the_gap_against_the_cadence(world, client_for):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    services.push_plan(
        actor=world["operator"],
        account=world.account,
        title="防汛周报",
        planned_for=monday + timedelta(days=6),
    )
    client = client_for(world["office_reviewer"])
    page = client.get(reverse("newsroom:calendar") + f"?date={today:%Y-%m-%d}")
    assert page.status_code == 200 and "防汛周报" in page.text
    assert 'data-testid="week-count"><span class="zw-gap-label">1 / 3</span>' in page.text
    month = client.get(reverse("newsroom:calendar") + "?view=month")
    assert month.status_code == 200 and 'data-testid="calendar"' in month.text


def test_the_push_page_shows_the_gate_and_the_daily_mass_send_quota(world, client_for):
    push = services.push_plan(
        actor=world["operator"],
        account=world.account,
        title="今日推送",
        planned_for=timezone.localdate(),
    )
    page = client_for(world["operator"]).get(reverse("newsroom:push", args=[push.pk]))
    assert 'data-testid="gate"' in page.text and 'data-testid="quota"' in page.text
    assert 'data-testid="schedule"' in page.text
