"""Events WeChat pushes on its own are queued durably and delivered like messages: signed,
encrypted, retried after the timeout, three deliveries at most."""

import time

import pytest

from zhengwei.simulator.deliveries import deliver_due, enqueue
from zhengwei.simulator.models import DeliveryStatus, SimDelivery
from zhengwei.simulator.tests.helpers import Receiver

pytestmark = pytest.mark.django_db(databases="__all__")

EVENT = (
    b"<xml><ToUserName><![CDATA[gh_f1d0a5c0de26]]></ToUserName>"
    b"<FromUserName><![CDATA[mphelper]]></FromUserName><CreateTime>1700000000</CreateTime>"
    b"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>"
    b"<PublishEventInfo><publish_id>2247500001</publish_id><publish_status>0</publish_status>"
    b"</PublishEventInfo></xml>"
)


def test_an_unanswered_event_is_tried_three_times_then_marked_failed(account, settings):
    settings.SIMULATOR_LIMITS = {"callback": {"timeout_seconds": 0.3}}

    def silent(params, body):
        time.sleep(1)
        return 200, b"success"

    server = Receiver(silent)
    try:
        account.callback_url = f"{server.url}/cb/"
        account.save()
        enqueue(account, "PUBLISHJOBFINISH", EVENT, 0)
        deliver_due()
        assert server.wait_for(3)
    finally:
        server.close()
    delivery = SimDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert "Timeout" in delivery.last_error


def test_an_event_is_not_sent_before_it_is_due(account, receiver):
    account.callback_url = f"{receiver.url}/cb/"
    account.save()
    enqueue(account, "PUBLISHJOBFINISH", EVENT, 60)
    wait = deliver_due()
    assert 55 < wait <= 60
    assert receiver.requests == []
    assert SimDelivery.objects.get().status == DeliveryStatus.PENDING


def test_the_event_goes_out_with_openid_and_signatures_in_the_query(account, receiver):
    account.callback_url = f"{receiver.url}/wechat/callback/{account.original_id}/"
    account.save()
    enqueue(account, "PUBLISHJOBFINISH", EVENT, 0)
    deliver_due()
    path, params, body = receiver.requests[0]
    assert path == f"/wechat/callback/{account.original_id}/"
    assert params["openid"] == "mphelper" and params["encrypt_type"] == "aes"
    assert {"signature", "timestamp", "nonce", "msg_signature"} <= set(params)
    assert b"<Encrypt>" in body
    assert SimDelivery.objects.get().status == DeliveryStatus.DELIVERED
