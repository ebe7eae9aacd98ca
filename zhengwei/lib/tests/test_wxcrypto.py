"""Safe-mode crypto and signatures against the vectors in brief wechat.md §8 (V1-V5)."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from zhengwei.lib.wxcrypto import (
    CryptoError,
    InvalidAppId,
    InvalidKey,
    InvalidPadding,
    InvalidSignature,
    WXCrypto,
    check_signature,
    jsapi_signature,
    make_signature,
)
from zhengwei.lib.wxxml import parse_envelope, parse_message

# V1 - Tencent's WXBizMsgCrypt Sample.py
V1_TOKEN = "spamtest"
V1_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
V1_APPID = "wx2c2769f8efd9abc2"
V1_TS = "1409735669"
V1_NONCE = "1320562132"
V1_MSG_SIG = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
V1_SIG = "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
V1_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQ"
    "HFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tED"
    "YsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZb"
    "Gpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5"
    "rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)
V1_BODY = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA["
    "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType>"
    "<![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728"
    f"</MsgId><Encrypt><![CDATA[{V1_ENCRYPT}]]></Encrypt></xml>"
).encode()

# V2 - Tencent's Java WXBizMsgCryptTest (fixed random)
V2_APPID = "wxb11529c136998cb6"
V2_RANDOM = b"aaaabbbbccccdddd"
V2_MSG = "我是中文abcd123"
V2_EXPECTED = (
    "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
)
V2_MSG2 = (
    "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName>"
    "<![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType>"
    "<![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdU"
    "kjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title>"
    "<Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>"
)
V2_EXPECTED2 = (
    "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkup"
    "qcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvF"
    "b3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04s"
    "q7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9Oxch"
    "WVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ"
    "6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57c"
    "ExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb"
)

# V3 - WeCom vectors from wechatpy tests/test_crypto.py (same algorithm, corp_id as id)
V3_TOKEN = "123456"
V3_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
V3_ID = "wx49f0ab532d5d035a"
V3_TS = "1411525903"
V3_NONCE = "461056294"
V3_ENCRYPT_IN = (
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTy"
    "eDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYy"
    "olBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWO"
    "MZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7ml"
    "sl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
)
V3_REPLY = (
    "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n"
    "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]>"
    "</ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>"
)
V3_ENCRYPT_OUT = (
    "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGs"
    "L8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSj"
    "PUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJv"
    "FurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFY"
    "FMNMpatF9XiKzHo3"
)

# V5 - JS-SDK appendix example
V5_TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
V5_NONCE = "Wm3WZYTPz0wzccnW"
V5_TS = "1414587457"


def v1() -> WXCrypto:
    return WXCrypto(V1_TOKEN, V1_KEY, V1_APPID)


def raw_aes_decrypt(key43: str, encrypt_b64: str) -> bytes:
    key = base64.b64decode(key43 + "=")
    dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    return dec.update(base64.b64decode(encrypt_b64)) + dec.finalize()


def raw_aes_encrypt(key43: str, plain: bytes) -> str:
    key = base64.b64decode(key43 + "=")
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


# -- V1


def test_it_accepts_the_official_url_signature():
    assert check_signature(V1_TOKEN, V1_SIG, V1_TS, V1_NONCE)
    assert make_signature(V1_TOKEN, V1_TS, V1_NONCE) == V1_SIG


def test_it_verifies_the_official_msg_signature_over_encrypt():
    env = parse_envelope(V1_BODY)
    assert v1().verify_msg_signature(V1_MSG_SIG, V1_TS, V1_NONCE, env["Encrypt"])


def test_it_decrypts_tencents_official_sample():
    msg = parse_message(v1().decrypt_message(V1_BODY, V1_MSG_SIG, V1_TS, V1_NONCE))
    assert msg.msg_type == "text"
    assert msg.content == "abcdteT"
    assert msg.msg_id == "6054768590064713728"
    assert msg.to_user == "gh_10f6c3c3ac5a"


def test_the_official_sample_has_the_documented_inner_layout():
    assert len(base64.b64decode(V1_ENCRYPT)) == 320
    plain = raw_aes_decrypt(V1_KEY, V1_ENCRYPT)
    assert plain[:16] == b"89465c840c5f116f"
    assert int.from_bytes(plain[16:20], "big") == 280
    assert plain[-1] == 2
    assert plain[:-2].endswith(V1_APPID.encode())
    assert len(v1().decrypt(V1_ENCRYPT)) == 280


def test_compatible_mode_body_exposes_both_plain_fields_and_encrypt():
    env = parse_envelope(V1_BODY)
    assert env["Content"] == "abcdteT"
    assert env["Encrypt"] == V1_ENCRYPT


# -- V2


def test_it_encrypts_deterministically_like_tencents_java_sample():
    c = WXCrypto("pamtest", V1_KEY, V2_APPID)
    assert c.encrypt(V2_MSG, random16=V2_RANDOM) == V2_EXPECTED
    assert c.encrypt(V2_MSG.encode(), random16=V2_RANDOM) == V2_EXPECTED


def test_it_counts_utf8_bytes_in_the_length_field():
    c = WXCrypto("pamtest", V1_KEY, V2_APPID)
    assert c.encrypt(V2_MSG2, random16=V2_RANDOM) == V2_EXPECTED2
    assert c.decrypt(V2_EXPECTED2).decode() == V2_MSG2
    assert c.decrypt(V2_EXPECTED) == V2_MSG.encode()


# -- V3


def test_it_decrypts_the_wecom_vector():
    body = (
        f"<xml><ToUserName><![CDATA[{V3_ID}]]></ToUserName>\n<Encrypt><![CDATA[{V3_ENCRYPT_IN}]]>"
        "</Encrypt>\n<AgentID><![CDATA[1]]></AgentID>\n</xml>"
    )
    c = WXCrypto(V3_TOKEN, V3_KEY, V3_ID)
    xml = c.decrypt_message(body, "74d92dfeb87ba7c714f89d98870ae5eb62dff26d", V3_TS, V3_NONCE)
    msg = parse_message(xml)
    assert msg.content == "test"
    assert msg.from_user == "messense"


def test_it_encrypts_the_wecom_reply_vector_with_the_expected_msg_signature():
    c = WXCrypto(V3_TOKEN, V3_KEY, V3_ID)
    env = c.encrypt_reply(V3_REPLY, V3_TS, V3_NONCE, random16=b"1234567890123456")
    fields = parse_envelope(env)
    assert fields["Encrypt"] == V3_ENCRYPT_OUT
    assert fields["MsgSignature"] == "407518b7649e86ef23978113f92d27afa9296533"
    assert fields["TimeStamp"] == V3_TS
    assert fields["Nonce"] == V3_NONCE


# -- V4 and padding


def test_a_128_bit_pkcs7_unpadder_fails_on_a_26_byte_pad_but_ours_succeeds():
    c = v1()
    encrypted = c.encrypt(b"", random16=b"0123456789abcdef")
    plain = raw_aes_decrypt(V1_KEY, encrypted)
    assert len(plain) == 64 and plain[-1] == 26
    unpadder = padding.PKCS7(128).unpadder()
    with pytest.raises(ValueError):
        unpadder.update(plain) + unpadder.finalize()
    unpadder32 = padding.PKCS7(256).unpadder()
    assert (unpadder32.update(plain) + unpadder32.finalize()).endswith(V1_APPID.encode())
    assert c.decrypt(encrypted) == b""


@pytest.mark.parametrize("size", range(0, 70))
def test_it_round_trips_every_pad_length(size):
    c = v1()
    msg = bytes(range(65, 65 + 26)) * 3
    assert c.decrypt(c.encrypt(msg[:size])) == msg[:size]


def test_an_aligned_plaintext_gets_a_full_32_byte_pad_block():
    # 16 + 4 + 26 + 18 (appid) = 64, already aligned
    plain = raw_aes_decrypt(V1_KEY, v1().encrypt(b"x" * 26))
    assert len(plain) == 96 and plain[-32:] == bytes([32]) * 32


@pytest.mark.parametrize("pad_tail", [b"\x00", b"\x21", b"\x03\x03\x04"])
def test_it_rejects_invalid_padding(pad_tail):
    body = b"r" * 16 + (0).to_bytes(4, "big") + V1_APPID.encode()
    plain = body + b"z" * (64 - len(body) - len(pad_tail)) + pad_tail
    with pytest.raises(InvalidPadding):
        v1().decrypt(raw_aes_encrypt(V1_KEY, plain))


def test_it_rejects_a_length_field_past_the_end():
    plain = b"r" * 16 + (999).to_bytes(4, "big") + b"x" * 10 + bytes([2, 2])  # 32 bytes
    with pytest.raises(CryptoError, match="length field"):
        v1().decrypt(raw_aes_encrypt(V1_KEY, plain))


@pytest.mark.parametrize(
    "value", ["not base64!!", "", "QUJD", base64.b64encode(b"x" * 17).decode()]
)
def test_it_rejects_malformed_ciphertext(value):
    with pytest.raises(CryptoError):
        v1().decrypt(value)


# -- signatures and appid


def test_it_rejects_bad_url_signatures():
    assert not check_signature(V1_TOKEN, V1_SIG.replace("1", "2", 1), V1_TS, V1_NONCE)
    assert not check_signature(V1_TOKEN, V1_SIG, V1_TS, "1320562133")
    assert not check_signature("other", V1_SIG, V1_TS, V1_NONCE)
    assert not check_signature(V1_TOKEN, "", V1_TS, V1_NONCE)
    assert not check_signature(V1_TOKEN, None, V1_TS, V1_NONCE)
    assert not check_signature(V1_TOKEN, V1_SIG, None, V1_NONCE)
    assert not check_signature(V1_TOKEN, "签名", V1_TS, V1_NONCE)


def test_it_accepts_an_uppercase_hex_signature():
    assert check_signature(V1_TOKEN, V1_SIG.upper(), V1_TS, V1_NONCE)


def test_it_refuses_to_decrypt_when_msg_signature_is_wrong():
    with pytest.raises(InvalidSignature):
        v1().decrypt_message(V1_BODY, V1_SIG, V1_TS, V1_NONCE)  # the plain signature, a common bug
    with pytest.raises(InvalidSignature):
        v1().decrypt_message(V1_BODY, V1_MSG_SIG, "1409735670", V1_NONCE)
    assert not v1().verify_msg_signature(None, V1_TS, V1_NONCE, V1_ENCRYPT)


def test_an_envelope_without_encrypt_is_a_crypto_error():
    with pytest.raises(CryptoError, match="no Encrypt"):
        v1().decrypt_message(b"<xml><ToUserName>a</ToUserName></xml>", V1_MSG_SIG, V1_TS, "1")


def test_it_rejects_a_payload_for_another_appid():
    with pytest.raises(InvalidAppId):
        WXCrypto(V1_TOKEN, V1_KEY, "wx0000000000000000").decrypt(V1_ENCRYPT)
    foreign = WXCrypto(V1_TOKEN, V1_KEY, V2_APPID).encrypt(b"<xml/>")
    with pytest.raises(InvalidAppId):
        v1().decrypt(foreign)


@pytest.mark.parametrize(
    "key", [V1_KEY[:-1], V1_KEY + "H", V1_KEY[:-1] + "!", V1_KEY[:-1] + "=", "", None]
)
def test_it_rejects_an_encoding_aes_key_that_is_not_43_base64_chars(key):
    with pytest.raises(InvalidKey):
        WXCrypto(V1_TOKEN, key, V1_APPID)


def test_every_error_is_a_crypto_error():
    for exc in (InvalidSignature, InvalidAppId, InvalidPadding, InvalidKey):
        assert issubclass(exc, CryptoError)


def test_its_repr_does_not_leak_the_key_or_token():
    text = repr(v1())
    assert V1_KEY not in text and V1_TOKEN not in text


# -- reply envelope


def test_it_renders_the_encrypted_reply_envelope_in_the_documented_shape():
    env = v1().encrypt_reply("<xml><Content>hi</Content></xml>", 1409735669, "nonce1")
    assert re.fullmatch(
        r"<xml><Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]></Encrypt>"
        r"<MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]></MsgSignature>"
        r"<TimeStamp>1409735669</TimeStamp><Nonce><!\[CDATA\[nonce1\]\]></Nonce></xml>",
        env,
    )


def test_it_decrypts_its_own_reply_envelope():
    xml = "<xml><Content><![CDATA[你好]]></Content></xml>"
    env = v1().encrypt_reply(xml, "1409735669", "abc")
    assert v1().decrypt_reply(env).decode() == xml
    assert v1().decrypt_reply(env.encode()).decode() == xml


def test_a_tampered_reply_envelope_fails_signature_verification():
    env = v1().encrypt_reply("<xml/>", "1409735669", "abc").replace("1409735669", "1409735670")
    with pytest.raises(InvalidSignature):
        v1().decrypt_reply(env)
    with pytest.raises(CryptoError, match="lacks"):
        v1().decrypt_reply("<xml><Encrypt>x</Encrypt></xml>")


def test_a_hostile_nonce_cannot_break_out_of_its_cdata_section():
    env = v1().encrypt_reply("<xml/>", "1", "n]]><Evil/>")
    assert parse_envelope(env)["Nonce"] == "n]]><Evil/>"
    assert v1().decrypt_reply(env) == b"<xml/>"


def test_a_non_numeric_reply_timestamp_is_refused():
    with pytest.raises(ValueError):
        v1().encrypt_reply("<xml/>", "1<a/>", "n")


def test_fresh_random_bytes_make_each_encryption_different():
    assert v1().encrypt("<xml/>") != v1().encrypt("<xml/>")


# -- V5


def test_it_computes_the_official_jsapi_signature():
    url = "http://mp.weixin.qq.com?params=value"
    assert jsapi_signature(V5_TICKET, V5_NONCE, V5_TS, url) == (
        "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
    )
    assert jsapi_signature(V5_TICKET, V5_NONCE, int(V5_TS), "http://mp.weixin.qq.com") == (
        "f4d90daf4b3bca3078ab155816175ba34c443a7b"
    )


def test_the_jsapi_signature_ignores_the_url_fragment():
    url = "http://mp.weixin.qq.com?params=value"
    assert jsapi_signature(V5_TICKET, V5_NONCE, V5_TS, url + "#/report?x=1") == (
        jsapi_signature(V5_TICKET, V5_NONCE, V5_TS, url)
    )
