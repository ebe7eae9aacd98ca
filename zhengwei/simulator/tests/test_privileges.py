"""A subscription account, even verified, is refused OAuth, template messages and parametric QR
codes (48001); a verified service account is not."""

import pytest

pytestmark = pytest.mark.django_db(databases="__all__")

QR = {
    "expire_seconds": 600,
    "action_name": "QR_STR_SCENE",
    "action_info": {"scene": {"scene_str": "x"}},
}
TEMPLATE = {"touser": "oFjFx0LinNvShi0000MinHou0001", "template_id": "t1", "data": {}}


def oauth(api, account):
    params = {
        "appid": account.app_id,
        "secret": account.secret,
        "code": "c",
        "grant_type": "authorization_code",
    }
    return api.get("sns/oauth2/access_token", params, token=False)


def test_a_verified_subscription_account_is_refused_service_account_privileges(api, account):
    assert account.is_subscription and account.verified
    assert api.post("cgi-bin/qrcode/create", QR)["errcode"] == 48001
    assert api.post("cgi-bin/message/template/send", TEMPLATE)["errcode"] == 48001
    assert oauth(api, account)["errcode"] == 48001


def test_a_verified_service_account_may_use_them(api, account):
    account.account_type = "service"
    account.save()
    qr = api.post("cgi-bin/qrcode/create", QR)
    assert qr["ticket"] and qr["expire_seconds"] == 600
    assert api.post("cgi-bin/message/template/send", TEMPLATE)["errcode"] == 0
    assert oauth(api, account)["errcode"] == 40029  # the simulator never issues OAuth codes


def test_an_unknown_endpoint_answers_404_with_a_wechat_error(client, account):
    response = client.get("/sim/api/cgi-bin/no/such/thing")
    assert response.status_code == 404 and response.json()["errcode"] == 40066
