"""access_token semantics: classic invalidation with a 5-minute overlap, stable idempotence,
force-refresh limits, and the error of every kind of bad token."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.simulator.tests.helpers import Api

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.fixture
def caller(client, account):
    return Api(client)


def classic(caller, account):
    return caller.get(
        "cgi-bin/token",
        {"grant_type": "client_credential", "appid": account.app_id, "secret": account.secret},
        token=False,
    )


def stable(caller, account, force=False):
    body = {"grant_type": "client_credential", "appid": account.app_id, "secret": account.secret}
    if force:
        body["force_refresh"] = True
    return caller.post("cgi-bin/stable_token", body, token=False)


def works(caller, token):
    return caller.get("cgi-bin/getcallbackip", {"access_token": token})


def test_a_classic_fetch_leaves_the_previous_token_five_minutes_then_refuses_it(caller, account):
    start = timezone.now()
    with freeze_time(start) as clock:
        first = classic(caller, account)
        assert first["expires_in"] == 7200
        second = classic(caller, account)
        assert first["access_token"] != second["access_token"]
        assert "ip_list" in works(caller, first["access_token"])
        clock.tick(timedelta(minutes=4, seconds=59))
        assert "ip_list" in works(caller, first["access_token"])
        clock.tick(timedelta(seconds=2))
        assert works(caller, first["access_token"])["errcode"] == 40001
        assert "ip_list" in works(caller, second["access_token"])


def test_a_third_classic_fetch_ends_the_first_token_at_once(caller, account):
    first = classic(caller, account)
    classic(caller, account)
    classic(caller, account)
    assert works(caller, first["access_token"])["errcode"] == 40001


def test_the_classic_endpoint_has_a_daily_quota(caller, account, settings):
    settings.SIMULATOR_LIMITS = {"token": {"classic_daily_quota": 2}}
    classic(caller, account)
    classic(caller, account)
    assert classic(caller, account)["errcode"] == 45009


def test_the_stable_endpoint_returns_the_same_token_until_five_minutes_before_expiry(
    caller, account
):
    start = timezone.now()
    with freeze_time(start) as clock:
        first = stable(caller, account)
        clock.tick(timedelta(minutes=90))
        again = stable(caller, account)
        assert again["access_token"] == first["access_token"]
        assert again["expires_in"] == 7200 - 90 * 60
        clock.tick(timedelta(minutes=26))  # 4 minutes left
        renewed = stable(caller, account)
        assert renewed["access_token"] != first["access_token"]
        assert renewed["expires_in"] == 7200
        # The old token is not cut short: it works until its own expiry …
        assert "ip_list" in works(caller, first["access_token"])
        clock.tick(timedelta(minutes=4, seconds=1))
        # … and then answers "expired", not "replaced".
        assert works(caller, first["access_token"])["errcode"] == 42001


def test_stable_and_classic_tokens_do_not_invalidate_each_other(caller, account):
    kept = stable(caller, account)["access_token"]
    for _ in range(3):
        classic(caller, account)
    assert "ip_list" in works(caller, kept)
    assert stable(caller, account)["access_token"] == kept


def test_force_refresh_invalidates_the_previous_stable_token(caller, account):
    old = stable(caller, account)["access_token"]
    new = stable(caller, account, force=True)["access_token"]
    assert new != old
    assert works(caller, old)["errcode"] == 40001
    assert "ip_list" in works(caller, new)


def test_force_refresh_must_wait_thirty_seconds(caller, account):
    start = timezone.now()
    with freeze_time(start) as clock:
        stable(caller, account, force=True)
        clock.tick(timedelta(seconds=29))
        assert stable(caller, account, force=True)["errcode"] == 45011
        clock.tick(timedelta(seconds=2))
        assert "access_token" in stable(caller, account, force=True)


def test_force_refresh_is_limited_to_twenty_a_day(caller, account):
    start = timezone.now().replace(hour=1)
    with freeze_time(start) as clock:
        for _ in range(20):
            assert "access_token" in stable(caller, account, force=True)
            clock.tick(timedelta(seconds=31))
        assert stable(caller, account, force=True)["errcode"] == 45009
        # A normal call still answers with the current token.
        assert "access_token" in stable(caller, account)


def test_a_missing_unknown_or_expired_token_gets_its_own_error(caller, account):
    assert caller.get("cgi-bin/getcallbackip", token=False)["errcode"] == 41001
    assert works(caller, "not-a-token")["errcode"] == 40001
    start = timezone.now()
    with freeze_time(start) as clock:
        token = stable(caller, account)["access_token"]
        clock.tick(timedelta(seconds=7201))
        assert works(caller, token)["errcode"] == 42001


def test_wrong_credentials_are_refused_with_wechat_codes(caller, account):
    good = {"grant_type": "client_credential", "appid": account.app_id, "secret": account.secret}
    assert (
        caller.post("cgi-bin/stable_token", {**good, "secret": "x"}, token=False)["errcode"]
        == 40125
    )
    assert (
        caller.post("cgi-bin/stable_token", {**good, "appid": "wx0"}, token=False)["errcode"]
        == 40013
    )
    assert (
        caller.post("cgi-bin/stable_token", {**good, "grant_type": "x"}, token=False)["errcode"]
        == 40002
    )


def test_the_stable_endpoint_takes_post_json_only(client, account):
    url = "/sim/api/cgi-bin/stable_token"
    assert client.get(url).json()["errcode"] == 43002
    form = {"grant_type": "client_credential", "appid": account.app_id, "secret": account.secret}
    assert client.post(url, form).json()["errcode"] == 47001


def test_errors_read_like_wechat_with_http_200(client, account):
    response = client.get("/sim/api/cgi-bin/menu/get", {"access_token": "nope"})
    assert response.status_code == 200
    body = response.json()
    assert body["errcode"] == 40001
    assert body["errmsg"].startswith("invalid credential, access_token is invalid or not latest")
    assert " rid: " in body["errmsg"]
