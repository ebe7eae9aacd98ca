"""Customer-service messages: 5 within 48 h of the citizen's message (45047 after), nothing
outside the window (45015); menu clicks and follows open 3 for one minute."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.simulator.citizen import Citizen
from zhengwei.simulator.models import ItemSource, SimPhoneItem

pytestmark = pytest.mark.django_db(databases="__all__")

OPENID = "oFjFx0LinNvShi0000MinHou0001"  # a seeded demo citizen


@pytest.fixture
def citizen(account, receiver):
    account.callback_url = f"{receiver.url}/wechat/callback/{account.original_id}/"
    account.save()
    return Citizen(OPENID, account)


def send(api, text="已收到您的报告，正在派员核实。", touser=OPENID):
    return api.post(
        "cgi-bin/message/custom/send",
        {"touser": touser, "msgtype": "text", "text": {"content": text}},
    )


def test_without_a_message_from_the_citizen_the_answer_is_45015(api, citizen):
    assert send(api)["errcode"] == 45015


def test_a_message_opens_five_sends_and_the_sixth_answers_45047(api, citizen):
    citizen.send_text("甘蔗街道积水")
    for _ in range(5):
        assert send(api)["errcode"] == 0
    assert send(api)["errcode"] == 45047
    # The citizen writes again: a fresh window.
    citizen.send_text("水还在涨")
    assert send(api)["errcode"] == 0


def test_the_window_closes_after_48_hours(api, citizen, account):
    start = timezone.now()
    with freeze_time(start) as clock:
        citizen.send_text("甘蔗街道积水")
        clock.tick(timedelta(hours=47, minutes=59))
        api.login(account)
        assert send(api)["errcode"] == 0
        clock.tick(timedelta(minutes=2))
        assert send(api)["errcode"] == 45015


def test_a_menu_click_opens_three_sends_for_one_minute(api, citizen):
    start = timezone.now()
    with freeze_time(start) as clock:
        citizen.click("FLOOD_TODAY")
        for _ in range(3):
            assert send(api)["errcode"] == 0
        assert send(api)["errcode"] == 45047
        citizen.click("FLOOD_TODAY")
        clock.tick(timedelta(seconds=61))
        assert send(api)["errcode"] == 45015


def test_an_unfollowed_citizen_cannot_be_messaged(api, citizen):
    citizen.send_text("谢谢")
    citizen.unfollow()
    assert send(api)["errcode"] == 45015


def test_an_unknown_openid_answers_40003(api, citizen):
    assert send(api, touser="oUnknown")["errcode"] == 40003


def test_a_customer_service_message_appears_on_the_citizens_phone(api, citizen):
    citizen.send_text("甘蔗街道积水")
    send(api, "救援队已出发，预计20分钟到达。")
    news = {
        "touser": OPENID,
        "msgtype": "news",
        "news": {
            "articles": [
                {"title": "防汛避险指南", "description": "转移须知", "url": "https://x.gov.cn/a"}
            ]
        },
    }
    assert api.post("cgi-bin/message/custom/send", news)["errcode"] == 0
    items = SimPhoneItem.objects.filter(openid=OPENID, source=ItemSource.CUSTOM).order_by("id")
    assert [i.payload["msgtype"] for i in items] == ["text", "news"]
    assert items[0].payload["text"] == "救援队已出发，预计20分钟到达。"
    assert items[1].payload["articles"][0]["title"] == "防汛避险指南"


def test_a_news_message_with_two_articles_is_refused(api, citizen):
    citizen.send_text("hi")
    article = {"title": "t", "url": "https://x.gov.cn"}
    body = {"touser": OPENID, "msgtype": "news", "news": {"articles": [article, article]}}
    assert api.post("cgi-bin/message/custom/send", body)["errcode"] == 45008


def test_an_unverified_account_cannot_send_customer_service_messages(api, citizen, account):
    citizen.send_text("hi")
    account.verified = False
    account.save()
    assert send(api)["errcode"] == 48001
