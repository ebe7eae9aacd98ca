"""Follower information without nicknames, and the follower list."""

import pytest

from zhengwei.simulator.citizen import Citizen

pytestmark = pytest.mark.django_db(databases="__all__")


def test_user_info_has_no_nickname_and_reports_unfollowing(api, account):
    info = api.get("cgi-bin/user/info", {"openid": "oFjFx0LinNvShi0000MinHou0001", "lang": "zh_CN"})
    assert info["subscribe"] == 1 and info["subscribe_time"] > 0
    assert "nickname" not in info and "headimgurl" not in info
    Citizen("oFjFx0LinNvShi0000MinHou0001", account, attempts=1, timeout=0.2).unfollow()
    info = api.get("cgi-bin/user/info", {"openid": "oFjFx0LinNvShi0000MinHou0001"})
    assert info == {"subscribe": 0, "openid": "oFjFx0LinNvShi0000MinHou0001"}
    assert api.get("cgi-bin/user/info", {"openid": "oNobody"})["errcode"] == 40003


def test_user_get_pages_through_followers(api, settings):
    settings.SIMULATOR_LIMITS = {"users": {"get_page": 2}}
    first = api.get("cgi-bin/user/get")
    assert first["total"] == 3 and first["count"] == 2
    rest = api.get("cgi-bin/user/get", {"next_openid": first["next_openid"]})
    assert rest["count"] == 1
    assert set(first["data"]["openid"] + rest["data"]["openid"]) == {
        "oFjFx0LinNvShi0000MinHou0001",
        "oFjFx0ChenXianSheng0GuLou002",
        "oFjFx0HuangAYi00000XiaPu0003",
    }
