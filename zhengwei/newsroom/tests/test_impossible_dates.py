"""A date that is not one (2026-13-45) in the newsroom's filters and forms falls back or is
refused with a message, never a server error."""

import pytest
from django.urls import reverse

from zhengwei.newsroom.models import Topic

pytestmark = pytest.mark.django_db
BAD = "2026-13-45"


@pytest.mark.parametrize(
    ("name", "query", "marker"),
    [
        ("newsroom:calendar", f"?date={BAD}", 'data-testid="calendar"'),
        ("newsroom:metrics", f"?start={BAD}&end={BAD}", 'data-testid="figures"'),
    ],
)
def test_a_filter_with_an_impossible_date_shows_the_default_period(
    world, client_for, name, query, marker
):
    page = client_for(world["office_leader"]).get(reverse(name) + query)
    assert page.status_code == 200 and marker in page.text


def test_a_topic_with_an_impossible_due_time_is_kept_without_one(world, client_for):
    client_for(world["editor"]).post(
        reverse("newsroom:topics"),
        {
            "account": world.account.pk,
            "title": "台风防御指南",
            "angle": "防御要点",
            "due_at": f"{BAD}T10:00",
        },
    )
    topic = Topic.objects.get(title="台风防御指南")
    assert topic.due_at is None
