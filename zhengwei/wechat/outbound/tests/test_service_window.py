import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.lib.events import publish
from zhengwei.wechat.outbound import tokens, windows
from zhengwei.wechat.outbound.errors import (
    OutsideServiceWindow,
    ServiceQuotaExhausted,
    WeChatError,
)
from zhengwei.wechat.outbound.models import ServiceWindow

pytestmark = pytest.mark.django_db
CITIZEN = "oCitizen0000000000000000001"
SEND = "/cgi-bin/message/custom/send"


def _received(account, kind="message", msg_type="text", event_name=""):
    publish(
        "wechat.message_received",
        account_id=account.pk,
        from_user=CITIZEN,
        kind=kind,
        msg_type=msg_type,
        event_name=event_name,
    )


def _send(wx, text="收到，已转值班员处理"):
    return wx.custom_send(CITIZEN, "text", {"content": text})


@pytest.fixture
def ready(account, fake):
    tokens.get_token(account)


def test_no_message_may_be_sent_before_the_citizen_writes(wx, fake, ready):
    with pytest.raises(OutsideServiceWindow) as caught:
        _send(wx)
    assert caught.value.local and fake.count(SEND) == 0


def test_a_message_from_the_citizen_allows_five_and_refuses_the_sixth_locally(
    wx, account, fake, ready
):
    _received(account)
    for _ in range(5):
        _send(wx)
    with pytest.raises(ServiceQuotaExhausted) as caught:
        _send(wx)
    assert caught.value.local
    assert fake.count(SEND) == 5
    assert fake.requests_to(SEND)[0].json == {
        "touser": CITIZEN,
        "msgtype": "text",
        "text": {"content": "收到，已转值班员处理"},
    }


def test_the_window_closes_after_48_hours(wx, account, fake, ready):
    _received(account)
    with freeze_time(timezone.now() + timedelta(hours=48, seconds=1)):
        with pytest.raises(OutsideServiceWindow):
            _send(wx)
    assert fake.count(SEND) == 0


def test_a_new_message_renews_the_window_and_the_quota(wx, account, fake, ready):
    _received(account)
    for _ in range(5):
        _send(wx)
    _received(account)
    _send(wx)
    assert fake.count(SEND) == 6


def test_a_menu_click_opens_three_messages_for_one_minute(wx, account, fake, ready):
    _received(account, kind="event", msg_type="event", event_name="CLICK")
    window = ServiceWindow.objects.get(openid=CITIZEN)
    assert window.quota == 3 and window.expires_at - window.opened_at == timedelta(minutes=1)
    for _ in range(3):
        _send(wx)
    with pytest.raises(ServiceQuotaExhausted):
        _send(wx)


def test_a_click_does_not_shrink_an_open_48_hour_window(account, fake, ready):
    _received(account)
    _received(account, kind="event", msg_type="event", event_name="CLICK")
    assert ServiceWindow.objects.get(openid=CITIZEN).quota == 5


def test_view_clicks_and_location_reports_open_nothing(account, fake, ready):
    for event in ("VIEW", "LOCATION", "MASSSENDJOBFINISH"):
        _received(account, kind="event", msg_type="event", event_name=event)
    assert not ServiceWindow.objects.exists()


def test_unfollowing_closes_the_window(wx, account, fake, ready):
    _received(account)
    _received(account, kind="event", msg_type="event", event_name="unsubscribe")
    with pytest.raises(OutsideServiceWindow):
        _send(wx)


def test_wechat_saying_45015_closes_the_window_and_45047_exhausts_it(wx, account, fake, ready):
    _received(account)
    fake.route(SEND, {"errcode": 45047, "errmsg": "out of response count limit"})
    with pytest.raises(ServiceQuotaExhausted):
        _send(wx)
    assert not windows.is_open(account, CITIZEN)
    _received(account)
    fake.route(SEND, {"errcode": 45015, "errmsg": "response out of time limit"})
    with pytest.raises(OutsideServiceWindow):
        _send(wx)
    with pytest.raises(OutsideServiceWindow) as caught:
        _send(wx)
    assert caught.value.local


def test_other_refusals_give_the_message_back_to_the_quota(wx, account, fake, ready):
    _received(account)
    fake.route(SEND, {"errcode": 40003, "errmsg": "invalid openid"})
    with pytest.raises(WeChatError):
        _send(wx)
    assert ServiceWindow.objects.get(openid=CITIZEN).sent_count == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_cannot_both_take_the_last_message(account):
    windows.window_open(account.pk, CITIZEN, "message")
    ServiceWindow.objects.update(sent_count=4)
    results = []

    def take():
        try:
            windows.consume(account, CITIZEN)
            results.append("sent")
        except ServiceQuotaExhausted:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused"] * 7 + ["sent"]
    assert ServiceWindow.objects.get().sent_count == 5
