from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhengwei.wechat.outbound import services, tokens
from zhengwei.wechat.outbound.models import DatacubeRow

pytestmark = pytest.mark.django_db


def _yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def ready(account, fake):
    tokens.get_token(account)


def _refused(wx, fake, endpoint, begin, end) -> str:
    with pytest.raises(ValidationError) as caught:
        wx.datacube(endpoint, begin, end)
    assert not fake.requests_to(f"/datacube/{endpoint}")
    return " ".join(caught.value.messages)


def test_user_statistics_span_at_most_seven_days(wx, fake, ready):
    end = _yesterday()
    wx.datacube("getusersummary", end - timedelta(days=6), end)
    assert "7" in _refused(wx, fake, "getusercumulate", end - timedelta(days=7), end)


def test_per_article_totals_span_thirty_days_and_the_new_summaries_one(wx, fake, ready):
    end = _yesterday()
    wx.datacube("getarticletotaldetail", end - timedelta(days=29), end)
    _refused(wx, fake, "getbizsummary", end - timedelta(days=1), end)


def test_today_is_never_asked_for(wx, fake, ready):
    today = timezone.localdate()
    _refused(wx, fake, "getusersummary", today, today)


def test_reversed_and_prehistoric_ranges_are_refused(wx, fake, ready):
    _refused(wx, fake, "getusersummary", _yesterday(), _yesterday() - timedelta(days=1))
    _refused(wx, fake, "getusersummary", date(2014, 11, 30), date(2014, 12, 1))


def test_unknown_interfaces_are_refused(wx, fake, ready):
    _refused(wx, fake, "getsomething", _yesterday(), _yesterday())


def test_rows_are_stored_once_and_updated_on_refetch(account, fake, ready):
    day = _yesterday().isoformat()
    rows = [
        {"ref_date": day, "user_source": 0, "new_user": 5, "cancel_user": 1},
        {"ref_date": day, "user_source": 30, "new_user": 2, "cancel_user": 0},
    ]
    fake.route("/datacube/getusersummary", {"list": rows})
    services.datacube_fetch(
        account=account, endpoint="getusersummary", begin=_yesterday(), end=_yesterday()
    )
    rows[0]["new_user"] = 6
    services.datacube_fetch(
        account=account, endpoint="getusersummary", begin=_yesterday(), end=_yesterday()
    )
    stored = DatacubeRow.objects.filter(endpoint="getusersummary")
    assert stored.count() == 2
    assert stored.get(key="user_source=0").data["new_user"] == 6


def test_the_daily_fetch_waits_for_eight_oclock(account, fake, ready):
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    early = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=7), tz)
    assert services.datacube_day(now=early) == today - timedelta(days=2)
    assert services.datacube_day(now=early + timedelta(hours=1)) == today - timedelta(days=1)


def test_the_daily_fetch_calls_each_configured_interface(account, fake, ready):
    fake.route(
        "/datacube/getusercumulate",
        {"list": [{"ref_date": _yesterday().isoformat(), "cumulate_user": 120345}]},
    )
    counts = services.datacube_daily(account=account)
    assert set(counts) == {"getusersummary", "getusercumulate", "getarticleread", "getbizsummary"}
    assert DatacubeRow.objects.get(endpoint="getusercumulate").data["cumulate_user"] == 120345
