from urllib.parse import urlencode

import pytest
from freezegun import freeze_time

from zhengwei.lib.sealed import dedupe_digest
from zhengwei.lib.wxxml import build_message_xml
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.helpers import crypto_for, post, signed_query, text_fields

V1_BODY = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gf"
    "YjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></Ms"
    "gType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDAT"
    "A[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGH"
    "QHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDY"
    "sVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy"
    "0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ix"
    "rcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
)
V1_QUERY = (
    "signature=16120ec1b8dbb870f510d87ce6bc2463eae6ca1a&timestamp=1409735669&nonce=1320562132"
    "&openid=oyORnuP8q7ou2gfYjqLzSIWZf0rs&encrypt_type=aes"
    "&msg_signature=5d197aaffba7e9b25a30732f161a50dee96bd5fa"
)


@freeze_time("2014-09-03 09:14:40")
def test_tencents_sample_message_decrypts_and_is_stored_as_text(client, v1_account):
    response = client.post(
        f"/wechat/callback/gh_10f6c3c3ac5a/?{V1_QUERY}", data=V1_BODY, content_type="text/xml"
    )
    assert response.status_code == 200
    assert response.content == b"success"
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.msg_type, stored.msg_id, stored.mode) == (
        "message",
        "text",
        "6054768590064713728",
        "compatible",
    )
    assert stored.fields["Content"] == "abcdteT"
    assert stored.from_user == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    # The de-duplication key is WeChat's (sender, MsgId) under a keyed hash: no openid in it.
    assert stored.dedupe_key == dedupe_digest("m:oyORnuP8q7ou2gfYjqLzSIWZf0rs:6054768590064713728")
    assert "oyORnu" not in stored.dedupe_key
    assert "<Encrypt>" not in stored.raw_xml and "abcdteT" in stored.raw_xml


@pytest.mark.parametrize("fixture", ["plain_account", "compat_account", "account"])
def test_each_message_mode_stores_the_message(client, request, fixture):
    account = request.getfixturevalue(fixture)
    response = post(client, account, text_fields(account, "路灯坏了什么时候修？"))
    assert response.status_code == 200
    assert response.content == b"success"
    stored = InboundMessage.objects.get(account=account)
    assert stored.fields["Content"] == "路灯坏了什么时候修？"
    assert stored.mode == account.message_mode
    assert stored.state == "received"


def test_a_compatible_account_prefers_the_encrypted_content(client, compat_account):
    fields = text_fields(compat_account, "真")
    encrypt = crypto_for(compat_account).encrypt(build_message_xml(fields))
    body = build_message_xml({**fields, "Content": "假", "Encrypt": encrypt})
    url = f"/wechat/callback/{compat_account.original_id}/?" + urlencode(
        signed_query(compat_account, encrypt=encrypt)
    )
    assert client.post(url, data=body, content_type="text/xml").status_code == 200
    assert InboundMessage.objects.get().fields["Content"] == "真"


def test_a_plaintext_body_is_refused_for_a_safe_mode_account(client, account):
    response = post(client, account, text_fields(account), mode="plaintext")
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_plaintext_account_accepts_an_encrypted_body_when_it_has_a_key(client, plain_account):
    response = post(client, plain_account, text_fields(plain_account), mode="safe")
    assert response.status_code == 200
    assert InboundMessage.objects.get().mode == "compatible"
