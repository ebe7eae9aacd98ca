from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.wechat.outbound import tokens
from zhengwei.wechat.outbound.errors import InvalidCredential
from zhengwei.wechat.outbound.models import AccessToken

pytestmark = pytest.mark.django_db


def test_it_fetches_a_stable_token_by_posting_json_without_force(account, fake):
    token = tokens.get_token(account)
    [request] = fake.requests_to("/cgi-bin/stable_token")
    assert request.method == "POST"
    assert request.json == {
        "grant_type": "client_credential",
        "appid": account.app_id,
        "secret": "test-secret",
        "force_refresh": False,
    }
    assert token == fake.stable_token
    assert fake.count("/cgi-bin/token") == 0


def test_it_uses_the_classic_endpoint_when_configured(account, fake, settings):
    settings.WECHAT_TOKEN_MODE = "classic"
    token = tokens.get_token(account)
    [request] = fake.requests_to("/cgi-bin/token")
    assert request.method == "GET"
    assert request.query["grant_type"] == "client_credential"
    assert request.query["appid"] == account.app_id
    assert token in fake.valid_tokens
    assert fake.count("/cgi-bin/stable_token") == 0


def test_it_reuses_the_stored_token_while_it_is_fresh(account, fake):
    first = tokens.get_token(account)
    for _ in range(5):
        assert tokens.get_token(account) == first
    assert fake.count("/cgi-bin/stable_token") == 1
    row = AccessToken.objects.get(account=account)
    assert row.fetch_count == 1 and row.mode == "stable"


def test_it_refreshes_a_token_inside_the_safety_margin(account, fake, settings):
    settings.WECHAT_TOKEN_MODE = "classic"
    first = tokens.get_token(account)
    AccessToken.objects.filter(account=account).update(
        expires_at=timezone.now() + timedelta(seconds=100)
    )
    assert tokens.get_token(account) != first
    assert fake.count("/cgi-bin/token") == 2


def test_switching_modes_fetches_a_token_of_the_new_kind(account, fake, settings):
    tokens.get_token(account)
    settings.WECHAT_TOKEN_MODE = "classic"
    tokens.get_token(account)
    assert AccessToken.objects.get(account=account).mode == "classic"
    assert fake.count("/cgi-bin/token") == 1


def test_the_token_is_sealed_at_rest(account, fake):
    token = tokens.get_token(account)
    row = AccessToken.objects.get(account=account)
    assert token not in row.token_sealed
    assert row.token == token


def test_a_wrong_app_secret_is_a_credential_error_not_a_token_refresh_loop(account, fake):
    account.set_app_secret("wrong")
    account.save()
    with pytest.raises(InvalidCredential) as caught:
        tokens.get_token(account)
    assert "AppSecret" in str(caught.value)
    assert fake.count("/cgi-bin/stable_token") == 1


def test_a_classic_40001_from_the_token_endpoint_means_a_wrong_secret(account, fake, settings):
    settings.WECHAT_TOKEN_MODE = "classic"
    account.set_app_secret("wrong")
    account.save()
    with pytest.raises(InvalidCredential):
        tokens.get_token(account)
