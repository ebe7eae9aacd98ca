"""Input from someone who holds the Token (issue #9): refused with a 4xx, never a 500."""

from zhengwei.lib import wxxml
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.helpers import build_request, text_fields


def _post_plain(client, account, body: bytes, **query):
    url, _ = build_request(account, text_fields(account), **query)
    return client.post(url, data=body, content_type="text/xml")


def test_a_gbk_declaration_is_refused_as_malformed(client, plain_account):
    body = '<?xml version="1.0" encoding="GBK"?><xml><a>水</a></xml>'.encode("gbk")
    assert _post_plain(client, plain_account, body).status_code == 400


def test_xml_nested_three_thousand_levels_is_refused(client, plain_account):
    body = b"<xml>" + b"<a>" * 3000 + b"</a>" * 3000 + b"</xml>"
    assert _post_plain(client, plain_account, body).status_code == 400


def test_a_400_digit_timestamp_with_a_valid_signature_is_refused(client, plain_account):
    url, body = build_request(plain_account, text_fields(plain_account), timestamp="9" * 400)
    assert client.post(url, data=body, content_type="text/xml").status_code == 403
    assert client.get(url + "&echostr=x").status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_create_time_beyond_64_bits_is_refused_before_storage():
    body = b"<xml><ToUserName>a</ToUserName><CreateTime>" + b"9" * 30 + b"</CreateTime></xml>"
    try:
        wxxml.parse_message(body)
    except wxxml.XMLRejected:
        return
    raise AssertionError("accepted")
