from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.wechat.outbound import tokens
from zhengwei.wechat.outbound.errors import InvalidToken
from zhengwei.wechat.outbound.models import AccessToken

pytestmark = pytest.mark.django_db


def test_a_40001_refreshes_the_token_once_and_repeats_the_call(wx, account, fake):
    old = tokens.get_token(account)
    fake.revoke_tokens()  # e.g. someone force-refreshed with the same AppSecret
    fake.route(
        "/cgi-bin/getcallbackip",
        lambda r: (
            {"ip_list": ["1.2.3.4"]}
            if r.query["access_token"] in fake.valid_tokens
            else {"errcode": 40001, "errmsg": "invalid credential"}
        ),
    )
    assert wx.callback_ips() == ["1.2.3.4"]
    assert fake.count("/cgi-bin/stable_token") == 2
    assert fake.count("/cgi-bin/getcallbackip") == 2
    assert tokens.get_token(account) != old


def test_it_does_not_refresh_when_another_process_already_did(account, fake):
    old = tokens.get_token(account)
    fake.revoke_tokens()
    newer = tokens.invalidate(account, old)  # the first worker to see 40001 refreshes
    assert tokens.invalidate(account, old) == newer  # the second finds it done
    assert fake.count("/cgi-bin/stable_token") == 2


def test_it_force_refreshes_only_when_the_stable_endpoint_returns_the_bad_token(account, fake):
    old = tokens.get_token(account)
    fake.revoke_tokens(keep_stable=True)
    new = tokens.invalidate(account, old)
    assert new != old
    normal, forced = fake.requests_to("/cgi-bin/stable_token")[1:]
    assert normal.json["force_refresh"] is False
    assert forced.json["force_refresh"] is True
    row = AccessToken.objects.get(account=account)
    assert row.force_refresh_count == 1 and row.last_force_refresh_at is not None


def test_force_refreshes_keep_thirty_seconds_apart(account, fake):
    old = tokens.get_token(account)
    fake.revoke_tokens(keep_stable=True)
    new = tokens.invalidate(account, old)
    fake.revoke_tokens(keep_stable=True)
    with pytest.raises(InvalidToken) as caught:
        tokens.invalidate(account, new)
    assert caught.value.local
    assert sum(1 for r in fake.requests_to("/cgi-bin/stable_token") if r.json["force_refresh"]) == 1


def test_force_refreshes_stop_at_the_daily_cap(account, fake):
    old = tokens.get_token(account)
    AccessToken.objects.filter(account=account).update(
        force_refresh_day=timezone.localdate(),
        force_refresh_count=20,
        last_force_refresh_at=timezone.now() - timedelta(hours=1),
    )
    fake.revoke_tokens(keep_stable=True)
    with pytest.raises(InvalidToken):
        tokens.invalidate(account, old)


def test_a_second_40001_after_the_refresh_is_raised_not_looped(wx, account, fake):
    tokens.get_token(account)
    fake.route("/cgi-bin/getcallbackip", {"errcode": 40001, "errmsg": "invalid credential"})
    with pytest.raises(InvalidToken):
        wx.callback_ips()
    assert fake.count("/cgi-bin/getcallbackip") == 2  # one repeat, not a loop


def test_classic_invalidation_fetches_a_new_token(account, fake, settings):
    settings.WECHAT_TOKEN_MODE = "classic"
    old = tokens.get_token(account)
    new = tokens.invalidate(account, old)
    assert new != old and fake.count("/cgi-bin/token") == 2
