"""The JS-SDK ticket: fetched once with the shared token, kept sealed, refreshed after expiry, and
wx.config signed with it as in the official example (reference wechat.md §4.2, §8 V5)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.wechat.outbound import tickets
from zhengwei.wechat.outbound.errors import WeChatError
from zhengwei.wechat.outbound.models import JsapiTicket
from zhengwei.wechat.outbound.tests.test_token_single_refresh import PROCESSES, _race

GETTICKET = "/cgi-bin/ticket/getticket"
V5_TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
V5_NONCE = "Wm3WZYTPz0wzccnW"
V5_TIMESTAMP = 1414587457


def serve_tickets(fake, *tickets_in_turn, expires_in=7200, delay=0.0):
    """getticket as WeChat answers it: only with a valid access token and type=jsapi."""
    issued = list(tickets_in_turn)

    def answer(req):
        time.sleep(delay)
        if req.query.get("access_token") not in fake.valid_tokens:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        if req.query.get("type") != "jsapi":
            return {"errcode": 40097, "errmsg": "invalid args"}
        ticket = issued.pop(0) if len(issued) > 1 else issued[0]
        return {"errcode": 0, "errmsg": "ok", "ticket": ticket, "expires_in": expires_in}

    fake.route(GETTICKET, answer)


@pytest.mark.parametrize(
    "url, signature",
    [
        ("http://mp.weixin.qq.com?params=value", "0f9de62fce790f9a083d5c99e95740ceb90c27ed"),
        ("http://mp.weixin.qq.com", "f4d90daf4b3bca3078ab155816175ba34c443a7b"),
        # The fragment is not part of the signed URL.
        (
            "http://mp.weixin.qq.com?params=value#/report",
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed",
        ),
    ],
)
def test_the_config_carries_the_official_example_signature(account, fake, url, signature):
    serve_tickets(fake, V5_TICKET)
    config = tickets.jsapi_config(account, url, timestamp=V5_TIMESTAMP, noncestr=V5_NONCE)
    assert config == {
        "appId": account.app_id,
        "timestamp": V5_TIMESTAMP,
        "nonceStr": V5_NONCE,
        "signature": signature,
        "jsApiList": ["getLocation"],
    }


def test_a_config_without_fixed_values_signs_the_timestamp_and_nonce_it_returns(account, fake):
    from zhengwei.lib.wxcrypto import jsapi_signature

    serve_tickets(fake, V5_TICKET)
    url = "https://fx.example.gov.cn/h5/report/?t=abc"
    config = tickets.jsapi_config(account, url, js_api_list=["getLocation", "chooseImage"])
    assert abs(config["timestamp"] - time.time()) < 5
    assert len(config["nonceStr"]) == 16 and config["nonceStr"].isalnum()
    assert config["signature"] == jsapi_signature(
        V5_TICKET, config["nonceStr"], config["timestamp"], url
    )
    assert config["jsApiList"] == ["getLocation", "chooseImage"]
    assert tickets.jsapi_config(account, url)["nonceStr"] != config["nonceStr"]


def test_the_ticket_is_fetched_once_with_the_shared_token_and_then_reused(account, fake):
    serve_tickets(fake, "TICKET-1", "TICKET-2")
    first = tickets.get_jsapi_ticket(account)
    for _ in range(5):
        assert tickets.get_jsapi_ticket(account) == first == "TICKET-1"
        tickets.jsapi_config(account, "https://fx.example.gov.cn/h5/report/")
    assert fake.count(GETTICKET) == 1
    request = fake.requests_to(GETTICKET)[0]
    assert request.method == "GET"
    assert request.query["type"] == "jsapi"
    assert request.query["access_token"] in fake.valid_tokens
    assert fake.count("/cgi-bin/stable_token") == 1


def test_the_ticket_is_stored_sealed_with_its_expiry(account, fake):
    serve_tickets(fake, "TICKET-SECRET-1", expires_in=7200)
    before = timezone.now()
    tickets.get_jsapi_ticket(account)
    row = JsapiTicket.objects.get(account=account)
    assert "TICKET-SECRET-1" not in row.ticket_sealed
    assert row.ticket == "TICKET-SECRET-1"
    assert (
        before + timedelta(seconds=7190) < row.expires_at < timezone.now() + timedelta(seconds=7210)
    )
    assert row.fetch_count == 1 and row.lease_owner == "" and row.lease_until is None


def test_the_ticket_is_refreshed_once_after_it_expires(account, fake):
    serve_tickets(fake, "TICKET-1", "TICKET-2", "TICKET-3")
    assert tickets.get_jsapi_ticket(account) == "TICKET-1"
    with freeze_time(timezone.now() + timedelta(seconds=7200 - 60)):  # inside the margin
        assert tickets.get_jsapi_ticket(account) == "TICKET-2"
        assert tickets.get_jsapi_ticket(account) == "TICKET-2"
    assert fake.count(GETTICKET) == 2
    assert JsapiTicket.objects.get(account=account).fetch_count == 2


def test_a_refused_fetch_raises_and_stores_nothing(account, fake):
    fake.route(GETTICKET, {"errcode": 40097, "errmsg": "invalid args"})
    with pytest.raises(WeChatError):
        tickets.get_jsapi_ticket(account)
    row = JsapiTicket.objects.get(account=account)
    assert row.ticket_sealed == "" and row.lease_owner == ""


@pytest.mark.django_db(transaction=True)
def test_many_processes_asking_at_once_cause_one_ticket_fetch(account, fake, tmp_path):
    serve_tickets(fake, "TICKET-RACE-1", "TICKET-RACE-2", delay=0.3)
    outputs = _race("jsapi", account, fake, tmp_path)
    assert outputs == ["TICKET-RACE-1"] * PROCESSES
    assert fake.count(GETTICKET) == 1
