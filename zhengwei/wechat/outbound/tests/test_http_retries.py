import socket
import time

import pytest

from zhengwei.wechat.outbound import tokens, transport
from zhengwei.wechat.outbound.errors import SystemBusy, WeChatNetworkError
from zhengwei.wechat.outbound.models import ApiCall

pytestmark = pytest.mark.django_db


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_it_retries_system_busy_and_then_succeeds(wx, account, fake):
    tokens.get_token(account)
    fake.route(
        "/cgi-bin/getcallbackip",
        [{"errcode": -1, "errmsg": "system error"}, {"ip_list": ["1.1.1.1"]}],
    )
    assert wx.callback_ips() == ["1.1.1.1"]
    assert fake.count("/cgi-bin/getcallbackip") == 2


def test_it_gives_up_after_the_configured_attempts(wx, account, fake):
    tokens.get_token(account)
    fake.route("/cgi-bin/getcallbackip", {"errcode": -1, "errmsg": "system error"})
    with pytest.raises(SystemBusy):
        wx.callback_ips()
    assert fake.count("/cgi-bin/getcallbackip") == 3


def test_system_busy_is_retried_even_for_a_send(wx, account, fake):
    tokens.get_token(account)
    fake.route("/cgi-bin/menu/create", [{"errcode": -1, "errmsg": "busy"}, {"errcode": 0}])
    wx.menu_create({"button": [{"type": "click", "name": "汛情", "key": "flood"}]})
    assert fake.count("/cgi-bin/menu/create") == 2


def test_a_refused_connection_is_retried_and_then_reported(settings, account, db):
    settings.WECHAT_API_BASE = _closed_port()
    settings.WECHAT_LIMITS = {"http": {"backoff_seconds": 0.01}}
    with pytest.raises(WeChatNetworkError) as caught:
        transport.request("POST", "/cgi-bin/menu/create", account=account, json_body={})
    assert caught.value.maybe_delivered is False
    assert ApiCall.objects.filter(endpoint="/cgi-bin/menu/create").count() == 3


def test_a_read_timeout_is_retried_for_reads_only(wx, account, fake, settings):
    tokens.get_token(account)
    settings.WECHAT_HTTP_TIMEOUT = 0.2

    def slow(request):
        time.sleep(0.5)
        return {"ip_list": []}

    fake.route("/cgi-bin/getcallbackip", slow)
    fake.route("/cgi-bin/comment/reply/add", slow)
    with pytest.raises(WeChatNetworkError):
        wx.callback_ips()
    assert fake.count("/cgi-bin/getcallbackip") == 3
    with pytest.raises(WeChatNetworkError) as caught:
        wx.comment_reply(1, 0, 1, "谢谢关注")
    assert caught.value.maybe_delivered is True
    assert fake.count("/cgi-bin/comment/reply/add") == 1  # it may have arrived: not repeated


def test_every_attempt_is_logged_without_the_token(wx, account, fake):
    token = tokens.get_token(account)
    fake.route("/cgi-bin/getcallbackip", [{"errcode": -1, "errmsg": "busy"}, {"ip_list": []}])
    wx.callback_ips()
    calls = list(ApiCall.objects.filter(endpoint="/cgi-bin/getcallbackip").order_by("id"))
    assert [(c.attempt, c.errcode) for c in calls] == [(1, -1), (2, 0)]
    assert all(c.account_id == account.pk and c.duration_ms >= 0 for c in calls)
    assert not ApiCall.objects.filter(endpoint__contains=token[:10]).exists()


def test_json_goes_out_as_raw_utf8_and_answers_are_read_as_utf8(wx, account, fake):
    tokens.get_token(account)
    fake.route("/cgi-bin/menu/create", {"errcode": 0, "errmsg": "ok"})
    wx.menu_create({"button": [{"type": "click", "name": "汛情实况", "key": "flood"}]})
    [request] = fake.requests_to("/cgi-bin/menu/create")
    assert "汛情实况".encode() in request.body and b"\\u" not in request.body
    assert request.headers["Content-Type"].startswith("application/json")
    fake.route("/cgi-bin/user/info", {"openid": "o1", "remark": "闽侯"})
    assert wx.user_info("o1")["remark"] == "闽侯"  # served as text/plain without a charset


def test_network_errors_never_carry_the_token_or_the_secret(settings, account, db):
    settings.WECHAT_API_BASE = _closed_port()
    settings.WECHAT_TOKEN_MODE = "classic"
    settings.WECHAT_LIMITS = {"http": {"attempts": 1}}
    from zhengwei.wechat.outbound.client import WeChatClient

    with pytest.raises(WeChatNetworkError) as caught:
        WeChatClient(account).callback_ips()  # the classic token URL carries the AppSecret
    assert "test-secret" not in str(caught.value) and "secret=***" in str(caught.value)
