import logging
import time
from urllib.parse import urlencode

import pytest

from zhengwei.lib.wxxml import build_message_xml
from zhengwei.wechat.inbound.models import CallbackRejection, InboundMessage
from zhengwei.wechat.inbound.tests.helpers import (
    build_request,
    crypto_for,
    post,
    signed_query,
    text_fields,
)


def _reason():
    return CallbackRejection.objects.get().reason


def test_a_bad_signature_on_a_post_is_refused_logged_and_recorded(client, account, caplog):
    url, body = build_request(account, text_fields(account))
    url = url.replace("signature=", "signature=0", 1)
    with caplog.at_level(logging.WARNING, logger="zhengwei.wechat.callback"):
        response = client.post(url, data=body, content_type="text/xml", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 403
    assert _reason() == "bad_signature"
    assert "bad_signature" in caplog.text and "198.51.100.7" in caplog.text
    assert not InboundMessage.objects.exists()


def test_a_bad_msg_signature_is_refused_before_decrypting(client, account):
    url, body = build_request(account, text_fields(account))
    url = url.replace("msg_signature=", "msg_signature=f", 1)
    response = client.post(url, data=body, content_type="text/xml")
    assert response.status_code == 403
    assert _reason() == "bad_msg_signature"


def test_a_payload_for_another_appid_is_refused(client, account):
    from zhengwei.lib.wxcrypto import WXCrypto

    other = WXCrypto(account.token, account.encoding_aes_key, "wx0000000000000000")
    encrypt = other.encrypt(build_message_xml(text_fields(account)))
    query = urlencode(signed_query(account, encrypt=encrypt))
    body = build_message_xml({"ToUserName": account.original_id, "Encrypt": encrypt})
    response = client.post(
        f"/wechat/callback/{account.original_id}/?{query}", data=body, content_type="text/xml"
    )
    assert response.status_code == 403
    assert _reason() == "decrypt_failed"


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><ToUserName>unclosed</xml>",
        b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "boom">]><xml><A>&x;</A></xml>',
        b"not xml at all",
        b"",
        b'{"json": true}',
    ],
    ids=["malformed", "doctype", "garbage", "empty", "json"],
)
def test_malformed_or_dangerous_xml_gets_a_400_not_a_500(client, plain_account, body):
    query = urlencode(signed_query(plain_account))
    response = client.post(
        f"/wechat/callback/{plain_account.original_id}/?{query}", data=body, content_type="text/xml"
    )
    assert response.status_code == 400
    assert _reason() == "malformed"


def test_a_garbled_inner_message_gets_a_400(client, account):
    encrypt = crypto_for(account).encrypt(b"<xml><MsgType>text</MsgType></xml>")  # no CreateTime
    query = urlencode(signed_query(account, encrypt=encrypt))
    body = build_message_xml({"ToUserName": account.original_id, "Encrypt": encrypt})
    response = client.post(
        f"/wechat/callback/{account.original_id}/?{query}", data=body, content_type="text/xml"
    )
    assert response.status_code == 400


def test_an_unknown_account_gets_a_404(client, db):
    response = client.get(
        "/wechat/callback/gh_000000000000/?signature=x&timestamp=1&nonce=2&echostr=e"
    )
    assert response.status_code == 404
    assert CallbackRejection.objects.get().reason == "unknown_account"


def test_a_stale_timestamp_is_refused(client, account):
    response = post(client, account, text_fields(account), timestamp=int(time.time()) - 301)
    assert response.status_code == 403
    assert _reason() == "stale_timestamp"


def test_the_timestamp_window_is_configurable(client, account, settings):
    settings.WECHAT_CALLBACK_MAX_AGE = 3600
    response = post(client, account, text_fields(account), timestamp=int(time.time()) - 1800)
    assert response.status_code == 200


def test_missing_signature_parameters_are_refused(client, account):
    response = client.post(
        f"/wechat/callback/{account.original_id}/", data=b"<xml/>", content_type="text/xml"
    )
    assert response.status_code == 403
    assert _reason() == "missing_params"


def test_an_oversized_body_is_refused_unread(client, plain_account, settings):
    settings.WECHAT_CALLBACK_MAX_BYTES = 2048
    fields = text_fields(plain_account, "雨" * 2000)
    response = post(client, plain_account, fields)
    assert response.status_code == 413
    assert _reason() == "too_large"


def test_a_message_addressed_to_another_account_is_refused(client, account):
    fields = {**text_fields(account), "ToUserName": "gh_999999999999"}
    response = post(client, account, fields)
    assert response.status_code == 403
    assert _reason() == "wrong_recipient"
