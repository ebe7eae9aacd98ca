import time

import pytest

from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.helpers import OPENID, post


def _head(account, msg_type, **more):
    return {
        "ToUserName": account.original_id,
        "FromUserName": OPENID,
        "CreateTime": int(time.time()),
        "MsgType": msg_type,
        **more,
    }


MESSAGES = {
    "text": {"Content": "雨很大", "MsgId": 1},
    "image": {"PicUrl": "http://mmbiz.example/p.jpg", "MediaId": "m1", "MsgId": 2},
    "voice": {"MediaId": "m2", "Format": "amr", "Recognition": "水漫过路面了", "MsgId": 3},
    "video": {"MediaId": "m3", "ThumbMediaId": "t3", "MsgId": 4},
    "shortvideo": {"MediaId": "m4", "ThumbMediaId": "t4", "MsgId": 5},
    "location": {
        "Location_X": "26.07",
        "Location_Y": "119.30",
        "Scale": "15",
        "Label": "福州市鼓楼区",
        "MsgId": 6,
    },
    "link": {"Title": "积水", "Description": "d", "Url": "http://example.com", "MsgId": 7},
}

EVENTS = {
    "subscribe": {"EventKey": "qrscene_123", "Ticket": "TICKET"},
    "unsubscribe": {},
    "SCAN": {"EventKey": "123", "Ticket": "TICKET"},
    "LOCATION": {"Latitude": "26.07", "Longitude": "119.30", "Precision": "65.0"},
    "CLICK": {"EventKey": "REPORT_DISASTER"},
    "VIEW": {"EventKey": "https://example.com/h5"},
    "scancode_push": {"EventKey": "s1", "ScanCodeInfo": {"ScanType": "qrcode", "ScanResult": "1"}},
    "scancode_waitmsg": {
        "EventKey": "s2",
        "ScanCodeInfo": {"ScanType": "qrcode", "ScanResult": "2"},
    },
    "pic_sysphoto": {
        "EventKey": "p1",
        "SendPicsInfo": {"Count": 1, "PicList": [{"PicMd5Sum": "aa"}]},
    },
    "pic_photo_or_album": {
        "EventKey": "p2",
        "SendPicsInfo": {"Count": 1, "PicList": [{"PicMd5Sum": "bb"}]},
    },
    "pic_weixin": {
        "EventKey": "p3",
        "SendPicsInfo": {"Count": 1, "PicList": [{"PicMd5Sum": "cc"}]},
    },
    "location_select": {
        "EventKey": "loc",
        "SendLocationInfo": {
            "Location_X": "26.07",
            "Location_Y": "119.30",
            "Scale": "15",
            "Label": "鼓楼",
            "Poiname": "省防汛办",
        },
    },
    "MASSSENDJOBFINISH": {
        "MsgID": "1000001625",
        "Status": "err(30003)",
        "TotalCount": 0,
        "FilterCount": 0,
        "SentCount": 0,
        "ErrorCount": 0,
    },
    "PUBLISHJOBFINISH": {
        "PublishEventInfo": {
            "publish_id": "2247503051",
            "publish_status": 0,
            "article_id": "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy",
            "article_detail": {
                "count": 1,
                "item": [{"idx": 1, "article_url": "https://mp.weixin.qq.com/s/x"}],
            },
        }
    },
    "TEMPLATESENDJOBFINISH": {"MsgID": "200163836", "Status": "success"},
}


@pytest.mark.parametrize("msg_type", list(MESSAGES))
def test_every_message_type_is_stored_as_a_typed_record(client, account, msg_type):
    assert post(client, account, _head(account, msg_type, **MESSAGES[msg_type])).status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.msg_type, stored.known) == ("message", msg_type, True)
    assert stored.msg_id == str(MESSAGES[msg_type]["MsgId"])
    for name, value in MESSAGES[msg_type].items():
        if name != "MsgId":
            assert stored.fields[name] == str(value)


@pytest.mark.parametrize("event", list(EVENTS))
def test_every_event_is_stored_as_a_typed_record(client, account, event):
    fields = _head(account, "event", Event=event, **EVENTS[event])
    if event == "PUBLISHJOBFINISH":
        fields["FromUserName"] = "mphelper"
    assert post(client, account, fields).status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.event, stored.known) == ("event", event.lower(), True)
    assert stored.event_key == EVENTS[event].get("EventKey", "")


def test_nested_event_payloads_keep_their_structure(client, account):
    post(
        client,
        account,
        _head(account, "event", Event="location_select", **EVENTS["location_select"]),
    )
    post(
        client,
        account,
        _head(account, "event", Event="PUBLISHJOBFINISH", **EVENTS["PUBLISHJOBFINISH"]),
    )
    post(client, account, _head(account, "event", Event="pic_weixin", **EVENTS["pic_weixin"]))
    by_event = {m.event: m for m in InboundMessage.objects.all()}
    assert by_event["location_select"].fields["SendLocationInfo"]["Poiname"] == "省防汛办"
    info = by_event["publishjobfinish"].fields["PublishEventInfo"]
    assert info["article_detail"]["item"][0]["article_url"] == "https://mp.weixin.qq.com/s/x"
    assert by_event["pic_weixin"].fields["SendPicsInfo"]["PicList"] == [{"PicMd5Sum": "cc"}]


def test_an_unknown_message_type_is_stored_not_dropped(client, account):
    fields = _head(account, "miniprogrampage", Title="小程序", AppId="wxapp", MsgId=99)
    assert post(client, account, fields).status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.msg_type, stored.known, stored.fields["Title"]) == (
        "miniprogrampage",
        False,
        "小程序",
    )


def test_an_unknown_event_is_stored_not_dropped(client, account):
    fields = _head(account, "event", Event="subscribe_msg_popup_event", Extra="x")
    assert post(client, account, fields).status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.event, stored.known) == (
        "event",
        "subscribe_msg_popup_event",
        False,
    )


def test_two_citizens_with_the_same_msgid_are_two_messages(client, account):
    post(client, account, _head(account, "text", Content="a", MsgId=5))
    post(
        client, account, {**_head(account, "text", Content="b", MsgId=5), "FromUserName": "oOther"}
    )
    assert InboundMessage.objects.count() == 2
