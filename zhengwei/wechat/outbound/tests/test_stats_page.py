from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengwei.access.policy import may
from zhengwei.wechat.outbound import policy
from zhengwei.wechat.outbound.models import DatacubeRow

pytestmark = pytest.mark.django_db
URL = reverse("wechat_outbound:stats")


def _row(account, endpoint, day, data, key=""):
    DatacubeRow.objects.create(account=account, endpoint=endpoint, ref_date=day, key=key, data=data)


def test_statistics_are_for_everyone_but_unit_officers_and_outsiders(world, client_for):
    for role, user in world.people.items():
        expected = 200 if may(user, policy.STATS_VIEW, world.account) else 403
        assert client_for(user).get(URL).status_code == expected, role
    assert client_for(world["unit_officer"]).get(URL).status_code == 403
    assert client_for(world.outsider).get(f"{URL}?account={world.account.pk}").status_code == 403


def test_without_data_the_page_explains_when_figures_arrive(world, client_for):
    page = client_for(world["editor"]).get(URL).content.decode()
    assert 'data-testid="stats-empty"' in page and "08:00" in page and "wechat_periodic" in page


def test_followers_and_reads_are_charted_and_tabled_per_day(world, client_for):
    day = timezone.localdate() - timedelta(days=1)
    before = day - timedelta(days=1)
    a = world.account
    _row(a, "getusersummary", day, {"user_source": 0, "new_user": 30, "cancel_user": 4}, "s0")
    _row(a, "getusersummary", day, {"user_source": 1, "new_user": 10, "cancel_user": 0}, "s1")
    _row(a, "getusercumulate", day, {"cumulate_user": 52036})
    _row(a, "getbizsummary", day, {"detail": {"read_user": 1800, "share_user": 150}})
    _row(a, "getarticleread", before, {"msgid": "1_0", "detail": {"read_user": 700}}, "m1")
    _row(a, "getarticleread", before, {"msgid": "2_0", "detail": {"read_user": 300}}, "m2")
    response = client_for(world["office_leader"]).get(URL)
    chart = response.context["chart"]
    assert len(chart["days"]) == 30 and chart["days"][-1] == day.isoformat()
    assert chart["new"][-1] == 40 and chart["cancel"][-1] == 4 and chart["cumulate"][-1] == 52036
    assert chart["reads"][-1] == 1800 and chart["reads"][-2] == 1000
    assert chart["new"][0] is None  # a day without figures is unknown, not zero
    page = response.content.decode()
    assert 'data-testid="followers-chart"' in page and 'data-testid="reads-chart"' in page
    assert "52036" in page and ">36<" in page  # the table: net = 40 - 4


def test_a_chosen_range_shows_only_its_days(world, client_for):
    day = timezone.localdate() - timedelta(days=10)
    _row(world.account, "getusercumulate", day, {"cumulate_user": 999})
    client = client_for(world["operator"])
    chart = client.get(URL, {"begin": day.isoformat(), "end": day.isoformat()}).context["chart"]
    assert chart == {
        "days": [day.isoformat()],
        "new": [None],
        "cancel": [None],
        "cumulate": [999],
        "reads": [None],
        "shares": [None],
    }
    earlier = day - timedelta(days=30)
    page = client.get(URL, {"begin": earlier.isoformat(), "end": earlier.isoformat()})
    assert 'data-testid="stats-range-empty"' in page.content.decode()
