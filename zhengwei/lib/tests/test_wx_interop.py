"""Our helpers against wechatpy (a test-only peer): each side must read what the other writes."""

from __future__ import annotations

import pytest
from wechatpy import parse_message as wp_parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException

from zhengwei.lib.wxcrypto import WXCrypto, make_signature
from zhengwei.lib.wxxml import (
    build_message_xml,
    parse_envelope,
    parse_message,
    render_news_reply,
    render_text_reply,
)

TOKEN = "zhengwei_token"
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx2c2769f8efd9abc2"
TS = "1700000000"
NONCE = "283746152"
GH = "gh_10f6c3c3ac5a"
USER = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"


def ours() -> WXCrypto:
    return WXCrypto(TOKEN, KEY, APPID)


def theirs() -> WeChatCrypto:
    return WeChatCrypto(TOKEN, KEY, APPID)


def inbound(fields: dict) -> bytes:
    return build_message_xml(
        {"ToUserName": GH, "FromUserName": USER, "CreateTime": int(TS), **fields}
    )


def safe_mode_body(xml: bytes) -> tuple[bytes, str]:
    """What WeChat would POST in safe mode, plus its msg_signature, built with our code."""
    encrypt = ours().encrypt(xml)
    body = build_message_xml({"ToUserName": GH, "Encrypt": encrypt})
    return body, make_signature(TOKEN, TS, NONCE, encrypt)


def test_wechatpy_decrypts_a_safe_mode_body_we_encrypted():
    xml = inbound({"MsgType": "text", "Content": "我要报告 <险情> ]]>", "MsgId": 1})
    body, sig = safe_mode_body(xml)
    assert theirs().decrypt_message(body, sig, TS, NONCE) == xml.decode()


@pytest.mark.parametrize("size", range(32))  # 38 + size covers every pad length 1..32
def test_wechatpy_decrypts_every_pad_length_we_produce(size):
    xml = b"x" * size
    body, sig = safe_mode_body(xml)
    assert theirs().decrypt_message(body, sig, TS, NONCE) == xml.decode()


def test_we_decrypt_what_wechatpy_encrypted():
    xml = render_text_reply(USER, GH, "收到，已转交值班人员", int(TS)).decode()
    envelope = theirs().encrypt_message(xml, NONCE, TS)
    assert ours().decrypt_reply(envelope).decode() == xml


def test_wechatpy_reads_our_encrypted_passive_reply():
    reply = render_news_reply(
        USER, GH, [{"title": "暴雨预警", "description": "d", "pic_url": "p", "url": "u"}], int(TS)
    )
    envelope = ours().encrypt_reply(reply, TS, NONCE)
    fields = parse_envelope(envelope)
    plain = theirs().decrypt_message(envelope, fields["MsgSignature"], TS, NONCE)
    assert plain == reply.decode()
    with pytest.raises(InvalidSignatureException):
        theirs().decrypt_message(envelope, fields["MsgSignature"], TS, "other")


def test_wechatpy_parses_our_text_reply():
    msg = wp_parse_message(render_text_reply(USER, GH, "a]]>b", int(TS)))
    assert (msg.type, msg.content, msg.source, msg.target) == ("text", "a]]>b", GH, USER)


def both(fields: dict):
    xml = inbound(fields)
    return parse_message(xml), wp_parse_message(xml.decode())


def test_both_parsers_agree_on_a_text_message():
    m, w = both({"MsgType": "text", "Content": "积水", "MsgId": 6054768590064713728})
    assert (m.content, m.msg_id, m.from_user, m.to_user, m.create_time) == (
        w.content,
        str(w.id),
        w.source,
        w.target,
        int(w.create_time.timestamp()),
    )


def test_both_parsers_agree_on_an_image_message():
    m, w = both({"MsgType": "image", "PicUrl": "http://p/x", "MediaId": "mid", "MsgId": 9})
    assert (m.pic_url, m.media_id) == (w.image, w.media_id)


def test_both_parsers_agree_on_a_location_message():
    m, w = both(
        {
            "MsgType": "location",
            "Location_X": "23.1",
            "Location_Y": "113.3",
            "Scale": 20,
            "Label": "海珠区",
            "MsgId": 10,
        }
    )
    assert (m.location.lat, m.location.lng) == tuple(float(v) for v in w.location)
    assert (str(m.location.scale), m.location.label) == (w.scale, w.label)


def test_both_parsers_agree_on_a_location_select_event():
    m, w = both(
        {
            "MsgType": "event",
            "Event": "location_select",
            "EventKey": "PLACE",
            "SendLocationInfo": {
                "Location_X": "23",
                "Location_Y": "113",
                "Scale": "15",
                "Label": "客村",
                "Poiname": "艺苑路",
            },
        }
    )
    assert w.event == m.event == "location_select"
    assert (m.location.lat, m.location.lng) == tuple(float(v) for v in w.location)
    assert (m.location.label, m.fields["SendLocationInfo"]["Poiname"]) == (w.label, w.poiname)


@pytest.mark.parametrize("count", [1, 3])
def test_both_parsers_agree_on_a_picture_event(count):
    pics = [{"PicMd5Sum": f"md5_{i}"} for i in range(count)]
    m, w = both(
        {
            "MsgType": "event",
            "Event": "pic_photo_or_album",
            "EventKey": "PHOTO",
            "SendPicsInfo": {"Count": count, "PicList": pics},
        }
    )
    assert m.pic_md5s == [p["PicMd5Sum"] for p in w.pictures]
    assert w.key == m.event_key


def test_both_parsers_agree_on_a_qr_subscribe():
    m, w = both({"MsgType": "event", "Event": "subscribe", "EventKey": "qrscene_42", "Ticket": "T"})
    assert w.event == "subscribe_scan"
    assert (m.qrscene, m.fields["Ticket"]) == (w.scene_id, w.ticket)


def test_both_parsers_agree_on_a_mass_send_result():
    m, w = both(
        {
            "MsgType": "event",
            "Event": "MASSSENDJOBFINISH",
            "MsgID": 1000001625,
            "Status": "err(30003)",
            "TotalCount": 0,
            "FilterCount": 0,
            "SentCount": 0,
            "ErrorCount": 0,
        }
    )
    assert (m.event, int(m.msg_id), m.fields["Status"]) == (w.event, w.id, w.status)


def test_wechatpy_does_not_know_publish_events_but_we_do():
    m, w = both(
        {
            "MsgType": "event",
            "Event": "PUBLISHJOBFINISH",
            "PublishEventInfo": {"publish_id": 2247503051, "publish_status": 2, "fail_idx": [1, 2]},
        }
    )
    assert w.type == "unknown"
    assert m.is_known and m.fields["PublishEventInfo"]["fail_idx"] == ["1", "2"]
