"""Inbound XML parsing, dedupe keys and passive replies (brief wechat.md §2.4-2.7, V6)."""

from __future__ import annotations

import pytest

from zhengwei.lib.wxxml import (
    DEDUPE_KEY_MAX,
    SUCCESS,
    Location,
    XMLRejected,
    build_message_xml,
    dedupe_key,
    parse_envelope,
    parse_message,
    parse_xml,
    render_image_reply,
    render_news_reply,
    render_text_reply,
    render_transfer_customer_service,
    xml_to_dict,
)

GH = "gh_e136c6e50636"
USER = "oMgHVjngRipVsoxg6TuX3vz6glDg"


def wx(body: str, *, msg_type: str = "event", from_user: str = USER, ts: int = 1408090502) -> bytes:
    """A WeChat-shaped document with the common header, written as the platform pretty-prints."""
    return (
        f"<xml>\n  <ToUserName><![CDATA[{GH}]]></ToUserName>\n"
        f"  <FromUserName><![CDATA[{from_user}]]></FromUserName>\n"
        f"  <CreateTime>{ts}</CreateTime>\n  <MsgType><![CDATA[{msg_type}]]></MsgType>\n"
        f"{body}\n</xml>"
    ).encode()


def ev(name: str, extra: str = "", **kw) -> bytes:
    return wx(f"  <Event><![CDATA[{name}]]></Event>\n{extra}", **kw)


# ---------------------------------------------------------------- ordinary messages


def test_it_parses_a_text_message():
    m = parse_message(
        wx(
            "<Content><![CDATA[ 街道积水 <1m> ]]></Content><MsgId>1234567890123456</MsgId>",
            msg_type="text",
        )
    )
    assert (m.kind, m.msg_type, m.event) == ("message", "text", None)
    assert (m.to_user, m.from_user, m.create_time) == (GH, USER, 1408090502)
    assert m.msg_id == "1234567890123456"
    assert m.content == " 街道积水 <1m> "  # whitespace and markup inside CDATA kept verbatim
    assert m.fields == {"Content": " 街道积水 <1m> "}
    assert m.raw["MsgType"] == "text" and m.is_known


def test_it_parses_an_image_message():
    m = parse_message(
        wx(
            "<PicUrl><![CDATA[http://mmbiz.qpic.cn/x/0]]></PicUrl><MediaId><![CDATA[media_1]]>"
            "</MediaId><MsgId>1234567890123457</MsgId>",
            msg_type="image",
        )
    )
    assert (m.pic_url, m.media_id, m.content) == ("http://mmbiz.qpic.cn/x/0", "media_1", None)


def test_it_parses_a_voice_message_with_and_without_recognition():
    base = "<MediaId><![CDATA[v1]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>1</MsgId>"
    m = parse_message(
        wx(base + "<Recognition><![CDATA[腾讯微信团队]]></Recognition>", msg_type="voice")
    )
    assert (m.media_id, m.fields["Format"], m.recognition) == ("v1", "amr", "腾讯微信团队")
    assert parse_message(wx(base, msg_type="voice")).recognition is None
    empty = "<Recognition><![CDATA[]]></Recognition>"
    assert parse_message(wx(base + empty, msg_type="voice")).recognition is None


@pytest.mark.parametrize("msg_type", ["video", "shortvideo"])
def test_it_parses_video_and_short_video_messages(msg_type):
    m = parse_message(
        wx(
            "<MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId>"
            "<MsgId>99</MsgId>",
            msg_type=msg_type,
        )
    )
    assert m.is_known and m.media_id == "m" and m.fields["ThumbMediaId"] == "t"


def test_it_parses_a_location_message():
    m = parse_message(
        wx(
            "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale>"
            "<Label><![CDATA[位置信息]]></Label><MsgId>1234567890123456</MsgId>",
            msg_type="location",
        )
    )
    assert m.location == Location(lat=23.134521, lng=113.358803, scale=20, label="位置信息")


def test_a_location_message_with_garbage_coordinates_has_no_location():
    m = parse_message(wx("<Location_X>north</Location_X><MsgId>1</MsgId>", msg_type="location"))
    assert m.location is None and m.fields["Location_X"] == "north"


def test_it_parses_a_link_message():
    m = parse_message(
        wx(
            "<Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]>"
            "</Description><Url><![CDATA[https://mp.weixin.qq.com/s/x]]></Url><MsgId>7</MsgId>",
            msg_type="link",
        )
    )
    assert m.fields == {
        "Title": "公众平台官网链接",
        "Description": "公众平台官网链接",
        "Url": "https://mp.weixin.qq.com/s/x",
    }


def test_it_keeps_article_origin_fields_of_a_message():
    m = parse_message(
        wx(
            "<Content><![CDATA[hi]]></Content><MsgId>8</MsgId><MsgDataId>2247483650</MsgDataId>"
            "<Idx>1</Idx>",
            msg_type="text",
        )
    )
    assert m.fields["MsgDataId"] == "2247483650" and m.fields["Idx"] == "1"


# ---------------------------------------------------------------- events


def test_it_parses_a_plain_subscribe_event():
    m = parse_message(ev("subscribe"))
    assert (m.kind, m.msg_type, m.event, m.event_key, m.msg_id) == (
        "event",
        "event",
        "subscribe",
        None,
        None,
    )
    assert m.qrscene is None and m.is_known and m.fields == {}


def test_it_reports_the_scene_of_a_subscribe_through_a_parametric_qr_code():
    m = parse_message(
        ev(
            "subscribe",
            "<EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>",
        )
    )
    assert m.event == "subscribe" and m.event_key == "qrscene_123123"
    assert m.qrscene == "123123"
    assert m.fields == {"Ticket": "TICKET"}


def test_it_parses_unsubscribe():
    assert parse_message(ev("unsubscribe")).event == "unsubscribe"


def test_it_normalises_scan_and_keeps_its_scene_without_prefix():
    m = parse_message(
        ev("SCAN", "<EventKey><![CDATA[123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>")
    )
    assert (m.event, m.event_key, m.qrscene) == ("scan", "123123", None)
    assert m.raw["Event"] == "SCAN"


def test_it_parses_a_location_report_event():
    m = parse_message(
        ev(
            "LOCATION",
            "<Latitude>23.137466</Latitude><Longitude>113.352425</Longitude>"
            "<Precision>119.385040</Precision>",
        )
    )
    assert m.event == "location"
    assert m.fields == {
        "Latitude": "23.137466",
        "Longitude": "113.352425",
        "Precision": "119.385040",
    }


@pytest.mark.parametrize(
    "name,key,expected",
    [("CLICK", "REPORT_DISASTER", "click"), ("VIEW", "https://example.gov.cn/h5", "view")],
)
def test_it_parses_menu_click_and_view_events(name, key, expected):
    m = parse_message(ev(name, f"<EventKey><![CDATA[{key}]]></EventKey>"))
    assert (m.event, m.event_key, m.is_known) == (expected, key, True)


@pytest.mark.parametrize("name", ["scancode_push", "scancode_waitmsg"])
def test_it_parses_scancode_events(name):
    m = parse_message(
        ev(
            name,
            "<EventKey><![CDATA[6]]></EventKey>\n<ScanCodeInfo><ScanType><![CDATA[qrcode]]>"
            "</ScanType>\n<ScanResult><![CDATA[1]]></ScanResult>\n</ScanCodeInfo>",
        )
    )
    assert m.event == name and m.event_key == "6"
    assert m.fields["ScanCodeInfo"] == {"ScanType": "qrcode", "ScanResult": "1"}


PIC_ONE = """<EventKey><![CDATA[REPORT_PHOTO]]></EventKey>
<SendPicsInfo><Count>1</Count>
<PicList>
  <item>
    <PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum>
  </item>
</PicList>
</SendPicsInfo>"""


@pytest.mark.parametrize("name", ["pic_sysphoto", "pic_photo_or_album", "pic_weixin"])
def test_it_parses_picture_menu_events_with_a_single_picture_as_a_list(name):
    m = parse_message(ev(name, PIC_ONE))
    assert m.event == name and m.is_known
    assert m.fields["SendPicsInfo"] == {
        "Count": "1",
        "PicList": [{"PicMd5Sum": "1b5f7c23b5bf75682a53e7b6d163e185"}],
    }
    assert m.pic_md5s == ["1b5f7c23b5bf75682a53e7b6d163e185"]


def test_it_parses_a_picture_event_with_several_pictures_in_order():
    pics = "".join(f"<item><PicMd5Sum><![CDATA[md5_{i}]]></PicMd5Sum></item>" for i in range(3))
    m = parse_message(
        ev(
            "pic_photo_or_album",
            f"<SendPicsInfo><Count>3</Count><PicList>{pics}</PicList></SendPicsInfo>",
        )
    )
    assert m.pic_md5s == ["md5_0", "md5_1", "md5_2"]


def test_it_parses_a_location_select_event():
    m = parse_message(
        ev(
            "location_select",
            "<EventKey><![CDATA[REPORT_PLACE]]></EventKey>\n<SendLocationInfo>"
            "<Location_X><![CDATA[23]]></Location_X>\n<Location_Y><![CDATA[113]]></Location_Y>\n"
            "<Scale><![CDATA[15]]></Scale>\n<Label><![CDATA[广州市海珠区客村艺苑路 106号]]></Label>\n"
            "<Poiname><![CDATA[]]></Poiname>\n</SendLocationInfo>",
        )
    )
    assert m.event == "location_select" and m.event_key == "REPORT_PLACE"
    assert m.fields["SendLocationInfo"]["Poiname"] == ""
    assert m.location == Location(
        lat=23.0, lng=113.0, scale=15, label="广州市海珠区客村艺苑路 106号"
    )


MASSSEND_ERR = """<MsgID>1000001625</MsgID>
<Status><![CDATA[err(30003)]]></Status>
<TotalCount>0</TotalCount>
<FilterCount>0</FilterCount>
<SentCount>0</SentCount>
<ErrorCount>0</ErrorCount>
<CopyrightCheckResult>
  <Count>2</Count>
  <ResultList>
    <item>
      <ArticleIdx>1</ArticleIdx>
      <UserDeclareState>0</UserDeclareState>
      <AuditState>2</AuditState>
      <OriginalArticleUrl><![CDATA[Url_1]]></OriginalArticleUrl>
      <OriginalArticleType>1</OriginalArticleType>
      <CanReprint>1</CanReprint>
      <NeedReplaceContent>1</NeedReplaceContent>
      <NeedShowReprintSource>1</NeedShowReprintSource>
    </item>
    <item>
      <ArticleIdx>2</ArticleIdx>
      <UserDeclareState>0</UserDeclareState>
      <AuditState>2</AuditState>
      <OriginalArticleUrl><![CDATA[Url_2]]></OriginalArticleUrl>
      <OriginalArticleType>1</OriginalArticleType>
      <CanReprint>1</CanReprint>
      <NeedReplaceContent>1</NeedReplaceContent>
      <NeedShowReprintSource>1</NeedShowReprintSource>
    </item>
  </ResultList>
  <CheckState>2</CheckState>
</CopyrightCheckResult>
<ArticleUrlResult>
  <Count>1</Count>
  <ResultList>
    <item>
      <ArticleIdx>1</ArticleIdx>
      <ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/abc]]></ArticleUrl>
    </item>
  </ResultList>
</ArticleUrlResult>"""


def test_it_parses_a_failed_mass_send_with_its_nested_results():
    m = parse_message(
        ev("MASSSENDJOBFINISH", MASSSEND_ERR, from_user="oV5CrjpxgaGXNHIQigzNlgLTnwic")
    )
    assert (m.event, m.msg_id, m.is_known) == ("masssendjobfinish", "1000001625", True)
    f = m.fields
    assert f["Status"] == "err(30003)"
    assert (f["TotalCount"], f["FilterCount"], f["SentCount"], f["ErrorCount"]) == ("0",) * 4
    copyright_ = f["CopyrightCheckResult"]
    assert copyright_["Count"] == "2" and copyright_["CheckState"] == "2"
    assert [r["OriginalArticleUrl"] for r in copyright_["ResultList"]] == ["Url_1", "Url_2"]
    assert f["ArticleUrlResult"] == {
        "Count": "1",
        "ResultList": [{"ArticleIdx": "1", "ArticleUrl": "https://mp.weixin.qq.com/s/abc"}],
    }


PUBLISH_OK = """<PublishEventInfo>
  <publish_id>2247503051</publish_id>
  <publish_status>0</publish_status>
  <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4]]></article_id>
  <article_detail>
    <count>1</count>
    <item>
      <idx>1</idx>
      <article_url><![CDATA[https://mp.weixin.qq.com/s/ARTICLE]]></article_url>
    </item>
  </article_detail>
</PublishEventInfo>"""

PUBLISH_FAIL = """<PublishEventInfo>
  <publish_id>2247503051</publish_id>
  <publish_status>2</publish_status>
  <fail_idx>1</fail_idx>
  <fail_idx>2</fail_idx>
</PublishEventInfo>"""


def test_it_parses_a_successful_publish_job():
    m = parse_message(ev("PUBLISHJOBFINISH", PUBLISH_OK, from_user="mphelper", ts=1481013459))
    assert (m.event, m.from_user, m.is_known, m.msg_id) == (
        "publishjobfinish",
        "mphelper",
        True,
        None,
    )
    info = m.fields["PublishEventInfo"]
    assert info["publish_id"] == "2247503051" and info["publish_status"] == "0"
    assert info["article_id"] == "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4"
    assert info["article_detail"] == {
        "count": "1",
        "item": [{"idx": "1", "article_url": "https://mp.weixin.qq.com/s/ARTICLE"}],
    }


def test_it_parses_a_failed_publish_job_with_repeated_fail_idx():
    m = parse_message(ev("PUBLISHJOBFINISH", PUBLISH_FAIL, from_user="mphelper", ts=1481013459))
    info = m.fields["PublishEventInfo"]
    assert info["publish_status"] == "2"
    assert info["fail_idx"] == ["1", "2"]


def test_a_single_fail_idx_is_still_a_list():
    one = PUBLISH_FAIL.replace("  <fail_idx>2</fail_idx>\n", "")
    info = parse_message(ev("PUBLISHJOBFINISH", one)).fields["PublishEventInfo"]
    assert info["fail_idx"] == ["1"]


def test_it_parses_a_template_send_result():
    m = parse_message(
        ev("TEMPLATESENDJOBFINISH", "<MsgID>200163836</MsgID><Status><![CDATA[success]]></Status>")
    )
    assert (m.event, m.msg_id, m.fields) == (
        "templatesendjobfinish",
        "200163836",
        {"Status": "success"},
    )


# ---------------------------------------------------------------- unknown input is kept


def test_an_unknown_message_type_is_parsed_with_all_its_fields():
    m = parse_message(
        wx(
            "<MsgId>42</MsgId><Title><![CDATA[小程序]]></Title><AppId><![CDATA[wxabc]]></AppId>"
            "<ThumbMediaId><![CDATA[t]]></ThumbMediaId><Extra><A>1</A><A>2</A></Extra>",
            msg_type="miniprogrampage",
        )
    )
    assert (m.kind, m.msg_type, m.is_known, m.msg_id) == ("message", "miniprogrampage", False, "42")
    assert m.fields["Extra"] == {"A": ["1", "2"]}
    assert m.fields["AppId"] == "wxabc"


def test_an_unknown_event_keeps_its_name_as_given():
    m = parse_message(ev("kf_create_session", "<KfAccount><![CDATA[test1@test]]></KfAccount>"))
    assert (m.kind, m.event, m.is_known) == ("event", "kf_create_session", False)
    assert parse_message(ev("WifiConnected")).event == "WifiConnected"
    assert m.fields == {"KfAccount": "test1@test"}


def test_a_message_without_msgtype_is_unknown_not_an_error():
    m = parse_message(b"<xml><CreateTime>1</CreateTime></xml>")
    assert m.msg_type == "" and m.kind == "message" and not m.is_known


@pytest.mark.parametrize(
    "body", [b"<xml><MsgType>text</MsgType></xml>", b"<xml><CreateTime>soon</CreateTime></xml>"]
)
def test_a_message_without_an_integer_create_time_is_rejected(body):
    with pytest.raises(XMLRejected, match="CreateTime"):
        parse_message(body)


# ---------------------------------------------------------------- hostile and malformed XML


def test_it_rejects_an_oversized_body_before_parsing():
    big = wx("<Content><![CDATA[" + "a" * (256 * 1024) + "]]></Content>", msg_type="text")
    with pytest.raises(XMLRejected, match="too large"):
        parse_message(big)
    with pytest.raises(XMLRejected, match="too large"):
        parse_envelope(b"<xml><A>12345</A></xml>", max_bytes=10)
    assert parse_message(big, max_bytes=len(big)).content == "a" * (256 * 1024)


def test_it_rejects_a_billion_laughs_document():
    lol = (
        b'<?xml version="1.0"?>\n<!DOCTYPE xml [\n <!ENTITY lol "lol">\n'
        b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
        b"]>\n<xml><Content>&lol3;</Content></xml>"
    )
    with pytest.raises(XMLRejected, match="forbidden"):
        parse_envelope(lol)


def test_it_rejects_an_external_entity():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<xml><Content>&xxe;</Content></xml>"
    )
    with pytest.raises(XMLRejected, match="forbidden"):
        parse_message(xxe)


def test_it_rejects_any_doctype_even_without_entities():
    with pytest.raises(XMLRejected, match="forbidden"):
        parse_envelope(b"<!DOCTYPE xml><xml><A>1</A></xml>")


@pytest.mark.parametrize("body", [b"", b"   ", b"<xml><A>", b"not xml", b'{"json": 1}'])
def test_it_rejects_malformed_bodies(body):
    with pytest.raises(XMLRejected):
        parse_envelope(body)


def test_it_rejects_a_root_other_than_xml():
    with pytest.raises(XMLRejected, match="root"):
        parse_envelope(b"<root><A>1</A></root>")


def test_xml_rejected_carries_its_reason():
    with pytest.raises(XMLRejected) as info:
        parse_envelope(b"<xml>", max_bytes=2)
    assert info.value.reason.startswith("body too large")


def test_it_reads_a_safe_mode_envelope():
    env = parse_envelope(
        b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>"
    )
    assert env == {"ToUserName": "gh_1", "Encrypt": "abc="}


def test_it_reads_a_plaintext_body_as_an_envelope_without_encrypt():
    env = parse_envelope(ev("CLICK", "<EventKey><![CDATA[K]]></EventKey>"))
    assert "Encrypt" not in env and env["Event"] == "CLICK"


# ---------------------------------------------------------------- dedupe keys


def test_message_dedupe_keys_include_the_sender():
    a = parse_message(wx("<Content>x</Content><MsgId>555</MsgId>", msg_type="text"))
    b = parse_message(
        wx("<Content>x</Content><MsgId>555</MsgId>", msg_type="text", from_user="oOther")
    )
    assert dedupe_key(a) == f"m:{USER}:555"
    assert dedupe_key(a) != dedupe_key(b)


def test_a_retried_message_gets_the_same_key():
    body = wx("<Content>x</Content><MsgId>555</MsgId>", msg_type="text")
    assert dedupe_key(parse_message(body)) == dedupe_key(parse_message(body))


def test_event_dedupe_keys_use_sender_time_event_and_key():
    m = parse_message(ev("CLICK", "<EventKey><![CDATA[REPORT]]></EventKey>", ts=1700000000))
    assert dedupe_key(m) == f"e:{USER}:1700000000:click:REPORT"
    assert dedupe_key(parse_message(ev("unsubscribe", ts=1700000000))) == (
        f"e:{USER}:1700000000:unsubscribe:"
    )


def test_repeated_location_reports_at_different_times_are_distinct():
    loc = "<Latitude>1</Latitude><Longitude>2</Longitude><Precision>3</Precision>"
    k1 = dedupe_key(parse_message(ev("LOCATION", loc, ts=1)))
    k2 = dedupe_key(parse_message(ev("LOCATION", loc, ts=2)))
    assert k1 != k2


def test_two_publish_jobs_finishing_in_the_same_second_are_distinct():
    other = PUBLISH_FAIL.replace("2247503051", "2247503052")
    k1 = dedupe_key(parse_message(ev("PUBLISHJOBFINISH", PUBLISH_FAIL, from_user="mphelper")))
    k2 = dedupe_key(parse_message(ev("PUBLISHJOBFINISH", other, from_user="mphelper")))
    assert k1 != k2 and k1.endswith(":publishjobfinish:2247503051")
    mass = dedupe_key(parse_message(ev("MASSSENDJOBFINISH", MASSSEND_ERR)))
    assert mass.endswith(":masssendjobfinish:1000001625")


def test_long_dedupe_keys_are_hashed_to_fit_an_index():
    url = "https://example.gov.cn/h5/report?" + "x" * 400
    k = dedupe_key(parse_message(ev("VIEW", f"<EventKey><![CDATA[{url}]]></EventKey>")))
    assert len(k) == DEDUPE_KEY_MAX and k.startswith(f"e:{USER}:1408090502:view:https://")
    other = dedupe_key(parse_message(ev("VIEW", f"<EventKey><![CDATA[{url}y]]></EventKey>")))
    assert other != k


def test_a_message_without_msgid_is_keyed_on_its_content():
    a = parse_message(wx("<Foo>1</Foo>", msg_type="newthing"))
    b = parse_message(wx("<Foo>2</Foo>", msg_type="newthing"))
    assert dedupe_key(a).startswith(f"m:{USER}:h") and dedupe_key(a) != dedupe_key(b)


# ---------------------------------------------------------------- replies and the builder


def test_success_is_the_literal_bytes():
    assert SUCCESS == b"success"


def test_it_renders_a_text_reply():
    body = render_text_reply(USER, GH, "收到，谢谢", 1700000000)
    assert (
        body
        == (
            f"<xml><ToUserName><![CDATA[{USER}]]></ToUserName><FromUserName><![CDATA[{GH}]]>"
            "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            "<Content><![CDATA[收到，谢谢]]></Content></xml>"
        ).encode()
    )


def test_a_reply_survives_cdata_terminators_and_control_characters():
    body = render_text_reply(USER, GH, "a]]>b]]>]]>c\x00\x07d", 1)
    assert parse_message(body).content == "a]]>b]]>]]>cd"


def test_a_reply_defaults_its_create_time_to_now():
    assert parse_message(render_text_reply(USER, GH, "x")).create_time > 1_700_000_000


def test_it_renders_an_image_reply():
    d = xml_to_dict(render_image_reply(USER, GH, "MEDIA_ID", 5))
    assert d == {
        "ToUserName": USER,
        "FromUserName": GH,
        "CreateTime": "5",
        "MsgType": "image",
        "Image": {"MediaId": "MEDIA_ID"},
    }


def test_it_renders_a_news_reply():
    articles = [
        {
            "title": "暴雨预警",
            "description": "d",
            "pic_url": "https://p/1.jpg",
            "url": "https://u/1",
        },
        {"title": "避险指南"},
    ]
    d = xml_to_dict(render_news_reply(USER, GH, articles, 5))
    assert d["MsgType"] == "news" and d["ArticleCount"] == "2"
    assert d["Articles"] == [
        {
            "Title": "暴雨预警",
            "Description": "d",
            "PicUrl": "https://p/1.jpg",
            "Url": "https://u/1",
        },
        {"Title": "避险指南", "Description": "", "PicUrl": "", "Url": ""},
    ]


@pytest.mark.parametrize("n", [0, 9])
def test_a_news_reply_needs_one_to_eight_articles(n):
    with pytest.raises(ValueError):
        render_news_reply(USER, GH, [{"title": "t"}] * n, 5)
    render_news_reply(USER, GH, [{"title": "t"}] * 8, 5)


def test_it_renders_a_transfer_to_customer_service():
    d = xml_to_dict(render_transfer_customer_service(USER, GH, 5))
    assert d["MsgType"] == "transfer_customer_service" and "TransInfo" not in d
    d = xml_to_dict(render_transfer_customer_service(USER, GH, 5, kf_account="kf1@gh"))
    assert d["TransInfo"] == {"KfAccount": "kf1@gh"}


def test_the_builder_round_trips_every_nested_wechat_shape():
    fields = {
        "ToUserName": GH,
        "FromUserName": USER,
        "CreateTime": 1700000000,
        "MsgType": "event",
        "Event": "pic_photo_or_album",
        "EventKey": "REPORT_PHOTO",
        "SendPicsInfo": {"Count": 2, "PicList": [{"PicMd5Sum": "a"}, {"PicMd5Sum": "b"}]},
        "PublishEventInfo": {
            "publish_id": 1,
            "article_detail": {"count": 1, "item": [{"idx": 1, "article_url": "u"}]},
            "fail_idx": [1, 2],
        },
        "Skipped": None,
    }
    m = parse_message(build_message_xml(fields))
    assert m.pic_md5s == ["a", "b"]
    assert m.fields["PublishEventInfo"] == {
        "publish_id": "1",
        "article_detail": {"count": "1", "item": [{"idx": "1", "article_url": "u"}]},
        "fail_idx": ["1", "2"],
    }
    assert "Skipped" not in m.raw


def test_the_builder_writes_strings_as_cdata_and_numbers_bare():
    assert build_message_xml({"A": "x", "B": 3, "C": True}) == (
        b"<xml><A><![CDATA[x]]></A><B>3</B><C>1</C></xml>"
    )


def test_the_builder_refuses_tag_names_that_are_not_xml_names():
    with pytest.raises(ValueError):
        build_message_xml({"A><B": "x"})


def test_it_refuses_an_entity_bomb_hidden_in_utf16():
    bomb = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'
    ).encode("utf-16")
    with pytest.raises(XMLRejected):
        parse_xml(bomb)


def test_it_parses_ordinary_messages_on_the_fast_path():
    root = parse_xml(b"<xml><Content><![CDATA[<!-- not a doctype -->]]></Content></xml>")
    assert root.find("Content").text == "<!-- not a doctype -->"
