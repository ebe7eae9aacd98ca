"""Statistics endpoints: span limits, end date at most yesterday, and figures that include what
happened in the simulator."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.simulator.citizen import Citizen

pytestmark = pytest.mark.django_db(databases="__all__")


def days_ago(n):
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def cube(api, name, begin, end):
    return api.post(f"datacube/{name}", {"begin_date": begin, "end_date": end})


def test_end_date_today_is_a_date_range_error(api):
    assert cube(api, "getusersummary", days_ago(1), days_ago(0))["errcode"] == 61501


def test_each_endpoint_has_its_maximum_span(api):
    assert "list" in cube(api, "getusersummary", days_ago(7), days_ago(1))
    assert cube(api, "getusersummary", days_ago(8), days_ago(1))["errcode"] == 61501
    assert cube(api, "getarticleread", days_ago(2), days_ago(1))["errcode"] == 61501
    assert cube(api, "getusercumulate", days_ago(1), days_ago(3))["errcode"] == 61501


def test_a_malformed_date_is_a_date_format_error(api):
    assert cube(api, "getusersummary", "2026/07/01", days_ago(1))["errcode"] == 61500


def test_a_follow_in_the_simulator_counts_as_a_new_user(api, account, settings):
    settings.SIMULATOR_LIMITS = {"datacube": {"synthetic": False}}
    yesterday = timezone.now() - timedelta(days=1)
    with freeze_time(yesterday):
        Citizen(None, account, attempts=1, timeout=0.2).follow()
    rows = cube(api, "getusersummary", days_ago(1), days_ago(1))["list"]
    assert sum(r["new_user"] for r in rows) == 1
    cumulate = cube(api, "getusercumulate", days_ago(1), days_ago(1))["list"]
    assert cumulate == [{"ref_date": days_ago(1), "cumulate_user": 4}]  # 3 demo citizens + 1


def test_synthetic_figures_are_stable_and_consistent(api):
    summary = cube(api, "getusersummary", days_ago(7), days_ago(1))["list"]
    cumulate = cube(api, "getusercumulate", days_ago(7), days_ago(1))["list"]
    assert summary == cube(api, "getusersummary", days_ago(7), days_ago(1))["list"]
    net = {}
    for row in summary:
        net[row["ref_date"]] = net.get(row["ref_date"], 0) + row["new_user"] - row["cancel_user"]
    for before, after in zip(cumulate, cumulate[1:], strict=False):
        assert after["cumulate_user"] - before["cumulate_user"] == net[after["ref_date"]]


def test_a_published_article_appears_in_the_article_statistics(api, draft):
    two_days_ago = timezone.now() - timedelta(days=2)
    with freeze_time(two_days_ago):
        api.post("cgi-bin/freepublish/submit", {"media_id": draft("雨情通报")})
    detail = cube(api, "getarticletotaldetail", days_ago(3), days_ago(1))
    assert detail["is_delay"] is False
    entry = detail["list"][0]
    assert entry["msgid"].endswith("_1") and entry["publish_type"] == 1
    assert [d["stat_date"] for d in entry["detail_list"]] == [days_ago(2), days_ago(1)]
    read = cube(api, "getarticleread", days_ago(2), days_ago(2))["list"]
    assert read[0]["msgid"] == entry["msgid"] and read[0]["detail"]["read_user"] > 0
    biz = cube(api, "getbizsummary", days_ago(2), days_ago(1))["list"]
    assert biz[0]["detail"]["read_user"] >= read[0]["detail"]["read_user"]
