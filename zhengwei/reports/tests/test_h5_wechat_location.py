"""Inside WeChat the H5 form takes the location from JS-SDK wx.getLocation: the page carries the
vendored SDK and the config endpoint, which signs wx.config only for pages of this site."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from zhengwei.lib.wxcrypto import jsapi_signature
from zhengwei.reports import links
from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat

pytestmark = pytest.mark.django_db
GETTICKET = "/cgi-bin/ticket/getticket"
TICKET = "TICKET-H5-" + "x" * 60
HOST = "fx.example.gov.cn"


@pytest.fixture
def wechat(settings):
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_LIMITS = {"http": {"backoff_seconds": 0.01, "backoff_max_seconds": 0.02}}
    settings.WECHAT_TOKEN_MODE = "stable"
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    settings.PUBLIC_URL = f"https://{HOST}"
    server.route(GETTICKET, {"errcode": 0, "errmsg": "ok", "ticket": TICKET, "expires_in": 7200})
    yield server
    server.stop()


def _config(client, world, url, host=HOST):
    return client.get(
        reverse("reports:h5_jssdk"),
        {"url": url, "account": world.account.original_id},
        HTTP_HOST=host,
    )


def test_the_form_page_includes_the_sdk_and_the_config_endpoint(world, client):
    page = client.get(reverse("reports:h5_form"), {"account": world.account.original_id})
    body = page.content.decode()
    sdk = static("vendor/weixin-js-sdk/index.js")
    assert f'data-jssdk-src="{sdk}"' in body
    assert reverse("reports:h5_jssdk") + f"?account={world.account.original_id}" in body
    assert static("reports/h5.js") in body
    assert finders.find("vendor/weixin-js-sdk/index.js")  # vendored, not from a CDN
    assert finders.find("vendor/weixin-js-sdk/LICENSE")
    assert "res.wx.qq.com" not in body


def test_the_form_script_uses_wechat_inside_wechat_and_the_browser_elsewhere():
    script = open(finders.find("reports/h5.js"), encoding="utf-8").read()
    assert "MicroMessenger" in script
    assert "wx.getLocation" in script and 'type: "wgs84"' in script
    assert "wx.error" in script
    assert "navigator.geolocation.getCurrentPosition" in script
    assert "accuracy.value" in script


def test_the_endpoint_signs_wx_config_for_our_page(world, client, wechat):
    url = f"https://{HOST}/h5/report/?t=abc.def"
    response = _config(client, world, url + "#map")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    config = response.json()
    assert config["appId"] == world.account.app_id
    assert config["jsApiList"] == ["getLocation"]
    assert config["signature"] == jsapi_signature(
        TICKET, config["nonceStr"], config["timestamp"], url
    )


def test_the_endpoint_shares_one_ticket_across_page_views(world, client, wechat):
    for _ in range(4):
        assert _config(client, world, f"https://{HOST}/h5/report/").status_code == 200
    assert wechat.count(GETTICKET) == 1


def test_the_endpoint_finds_the_account_of_a_signed_link_page(world, client, wechat):
    url = f"https://{HOST}" + links.h5_link(account_id=world.account.pk, openid="oWX-1")
    assert url.startswith(f"https://{HOST}/h5/report/?t=")
    assert _config(client, world, url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/h5/report/",
        f"https://{HOST}.evil.example.com/h5/report/",
        f"https://evil.example.com@{HOST}/h5/report/",
        f"https://{HOST}:8443/h5/report/",
        f"javascript://{HOST}/%0aalert(1)",
        f"ftp://{HOST}/h5/report/",
        "/h5/report/",
        f"https://{HOST}\\@evil.example.com/",
        "",
        f"https://{HOST}/" + "a" * 3000,
    ],
)
def test_the_endpoint_refuses_foreign_urls(world, client, wechat, url):
    response = _config(client, world, url)
    assert response.status_code == 400
    assert "signature" not in response.json()
    assert wechat.count(GETTICKET) == 0


def test_the_request_host_counts_as_ours_too(world, client, wechat):
    response = _config(client, world, "http://testserver/h5/report/", host="testserver")
    assert response.status_code == 200


def test_when_wechat_refuses_the_page_falls_back_with_an_error(world, client, wechat):
    wechat.route(GETTICKET, {"errcode": -1, "errmsg": "system error"})
    response = _config(client, world, f"https://{HOST}/h5/report/")
    assert response.status_code == 503
    assert "error" in response.json() and "signature" not in response.json()
