"""The citizen driver talks to a callback exactly as WeChat does: verified here with wechatpy as
the independent peer (signature, msg_signature, AES), and it retries a silent callback after the
timeout, three deliveries in total."""

import hashlib
import time

import pytest
from wechatpy.crypto import WeChatCrypto

from zhengwei.simulator.citizen import Citizen, sample_photo
from zhengwei.simulator.models import ItemSource, Mode, SimPhoneItem
from zhengwei.simulator.tests.helpers import Receiver, WechatpyCallback

pytestmark = pytest.mark.django_db(databases="__all__")

OPENID = "oFjFx0ChenXianSheng0GuLou002"


@pytest.fixture
def peer(account):
    callback = WechatpyCallback(account)
    server = Receiver(callback)
    account.callback_url = f"{server.url}/wechat/callback/{account.original_id}/"
    account.save()
    yield callback
    server.close()


def phone_texts(openid=OPENID):
    return [
        i.payload.get("text")
        for i in SimPhoneItem.objects.filter(openid=openid).order_by("id")
        if i.payload["msgtype"] == "text"
    ]


@pytest.mark.parametrize("mode", [Mode.SAFE, Mode.COMPATIBLE, Mode.PLAINTEXT])
def test_wechatpy_verifies_and_reads_a_text_message_in_every_mode(account, peer, mode):
    account.mode = mode
    account.save()
    delivery = Citizen(OPENID, account).send_text("鼓楼区五一广场积水")
    assert delivery.status == 200 and delivery.attempts == 1
    message = peer.messages[0]
    assert message.type == "text" and message.content == "鼓楼区五一广场积水"
    assert message.source == OPENID and message.target == account.original_id
    params = peer.params[0]
    assert params["openid"] == OPENID
    assert ("encrypt_type" in params) is (mode != Mode.PLAINTEXT)
    # The passive reply (encrypted by wechatpy in safe and compatible mode) reaches the phone.
    assert delivery.reply.kind == "message"
    assert delivery.reply.encrypted is (mode != Mode.PLAINTEXT)
    assert phone_texts() == ["鼓楼区五一广场积水", "收到：鼓楼区五一广场积水"]


def test_a_safe_mode_body_carries_only_the_envelope(account, peer):
    Citizen(OPENID, account).send_text("hi")
    request = Citizen(OPENID, account).request_for({"ToUserName": "x", "MsgType": "text"})
    assert b"<Encrypt>" in request.body and b"<MsgType>" not in request.body


def test_locations_photos_voice_and_menu_events_parse_in_wechatpy(account, peer, client):
    citizen = Citizen(OPENID, account)
    citizen.click("FLOOD_TODAY")
    citizen.select_location(26.1503, 119.1311, "福建省福州市闽侯县甘蔗街道", key="REPORT_LOC")
    photo = sample_photo()
    citizen.send_photos([photo], key="REPORT_PHOTO")
    citizen.send_voice("甘蔗街道水很深")
    citizen.view("https://example.gov.cn/news")
    types = [(m.type, getattr(m, "event", None)) for m in peer.messages]
    assert types == [
        ("event", "click"),
        ("event", "location_select"),
        ("location", None),
        ("event", "pic_photo_or_album"),
        ("image", None),
        ("voice", None),
        ("event", "view"),
    ]
    click, select, location, pics, image, voice, view = peer.messages
    assert click.key == "FLOOD_TODAY"
    assert select.key == "REPORT_LOC"
    assert float(select.location_x) == pytest.approx(26.1503)
    assert select.label.endswith("甘蔗街道")
    assert [float(v) for v in location.location] == [26.1503, 119.1311]
    assert pics.count == 1
    assert pics.pictures[0]["PicMd5Sum"] == hashlib.md5(photo).hexdigest()
    assert voice.recognition == "甘蔗街道水很深" and voice.format == "amr"
    assert view.url == "https://example.gov.cn/news"
    # The photo's PicUrl is served by the simulator, like mmbiz.qpic.cn.
    path = image.image.split("/sim/", 1)[1]
    served = client.get(f"/sim/{path}")
    assert served.status_code == 200 and served.content == photo
    assert image.media_id in image.image


def test_a_silent_callback_gets_exactly_three_deliveries(account):
    def slow(params, body):
        time.sleep(1.0)
        return 200, b"success"

    server = Receiver(slow)
    try:
        account.callback_url = f"{server.url}/cb/"
        account.save()
        delivery = Citizen(OPENID, account, timeout=0.3).send_text("有人吗")
        assert delivery.attempts == 3 and delivery.status is None
        assert server.wait_for(3, timeout=5)
        time.sleep(0.5)
        assert len(server.requests) == 3
        # WeChat repeats the very same message: same body, same MsgId.
        assert len({body for _path, _params, body in server.requests}) == 1
    finally:
        server.close()
    notice = SimPhoneItem.objects.filter(openid=OPENID, source=ItemSource.SYSTEM).get()
    assert notice.payload["code"] == "unavailable"


def test_an_answer_to_the_second_delivery_stops_the_retries(account):
    calls = []

    def slow_then_quick(params, body):
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(1.0)
        return 200, b"success"

    server = Receiver(slow_then_quick)
    try:
        account.callback_url = f"{server.url}/cb/"
        account.save()
        delivery = Citizen(OPENID, account, timeout=0.3).send_text("有人吗")
    finally:
        server.close()
    assert delivery.attempts == 2 and delivery.ok
    assert not SimPhoneItem.objects.filter(source=ItemSource.SYSTEM).exists()


def test_a_plaintext_reply_to_a_safe_mode_account_shows_the_wechat_error(account):
    def plain(params, body):
        return 200, (
            f"<xml><ToUserName>{OPENID}</ToUserName><FromUserName>{account.original_id}"
            "</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
            "<Content>hi</Content></xml>"
        ).encode()

    server = Receiver(plain)
    try:
        account.callback_url = f"{server.url}/cb/"
        account.save()
        delivery = Citizen(OPENID, account).send_text("你好")
    finally:
        server.close()
    assert delivery.reply.kind == "invalid" and not delivery.ok
    assert SimPhoneItem.objects.get(source=ItemSource.SYSTEM).payload["code"] == "unavailable"


def test_a_reply_with_a_forged_signature_is_refused(account):
    crypto = WeChatCrypto("another-token", account.aes_key, account.app_id)

    def forged(params, body):
        reply = (
            f"<xml><ToUserName>{OPENID}</ToUserName><FromUserName>{account.original_id}"
            "</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
            "<Content>hi</Content></xml>"
        )
        return 200, crypto.encrypt_message(reply, "123", "1700000000").encode()

    server = Receiver(forged)
    try:
        account.callback_url = f"{server.url}/cb/"
        account.save()
        delivery = Citizen(OPENID, account).send_text("你好")
    finally:
        server.close()
    assert delivery.reply.kind == "invalid"
    assert "decrypt" in delivery.reply.problem


def test_a_new_citizen_follows_with_a_subscribe_event(account, peer):
    citizen = Citizen.new(account, nickname="测试市民")
    assert peer.messages[0].type == "event" and peer.messages[0].event == "subscribe"
    assert citizen.follower.subscribed


def test_record_false_sends_without_touching_the_phone(account, peer):
    Citizen("oLoadTest000000000000000000001", account, record=False).send_text("bench")
    assert peer.messages[0].content == "bench"
    assert not SimPhoneItem.objects.filter(openid="oLoadTest000000000000000000001").exists()
