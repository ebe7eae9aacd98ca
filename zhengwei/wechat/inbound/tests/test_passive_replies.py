import time

from wechatpy.crypto import WeChatCrypto
from wechatpy.parser import parse_message

from zhengwei.lib import wxxml
from zhengwei.wechat.inbound.models import InboundMessage, KeywordReply, MenuClickReply
from zhengwei.wechat.inbound.tests.helpers import OPENID, post, text_fields


def _keyword(account, keyword, text, match="exact"):
    return KeywordReply.objects.create(
        account=account, keyword=keyword, match=match, reply_text=text
    )


def test_a_keyword_reply_is_encrypted_and_wechatpy_can_read_it(client, account):
    _keyword(account, "雨情", "今日雨情：全省小到中雨。")
    response = post(client, account, text_fields(account, "雨情"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    envelope = wxxml.xml_to_dict(response.content)
    peer = WeChatCrypto(account.token, account.encoding_aes_key, account.app_id)
    plain = peer.decrypt_message(
        response.content, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
    )
    reply = parse_message(plain)
    assert reply.type == "text"
    assert reply.content == "今日雨情：全省小到中雨。"
    assert reply.source == account.original_id and reply.target == OPENID
    assert InboundMessage.objects.get().reply_xml  # kept for WeChat's retries


def test_a_plaintext_account_gets_a_plain_reply(client, plain_account):
    _keyword(plain_account, "水情", "水位正常")
    response = post(client, plain_account, text_fields(plain_account, " 水情 "))
    reply = wxxml.xml_to_dict(response.content)
    assert (reply["MsgType"], reply["Content"], reply["ToUserName"]) == ("text", "水位正常", OPENID)


def test_contains_matches_prefer_the_longest_keyword_and_exact_wins(client, plain_account):
    _keyword(plain_account, "台风", "台风信息", match="contains")
    _keyword(plain_account, "台风路径", "台风路径图", match="contains")
    _keyword(plain_account, "台风", "精确：台风", match="exact")

    def answer(text):
        return wxxml.xml_to_dict(
            post(client, plain_account, text_fields(plain_account, text)).content
        )

    assert answer("最新台风路径是什么")["Content"] == "台风路径图"
    assert answer("台风来了吗")["Content"] == "台风信息"
    assert answer("台风")["Content"] == "精确：台风"
    assert post(client, plain_account, text_fields(plain_account, "你好")).content == b"success"


def test_an_inactive_keyword_does_not_answer(client, plain_account):
    # Not a flood word: the flood data answers 雨情/水情/台风 itself (zhengwei.hydro.chat).
    KeywordReply.objects.create(account=plain_account, keyword="停水", reply_text="x", active=False)
    assert post(client, plain_account, text_fields(plain_account, "停水")).content == b"success"


def test_a_menu_click_gets_its_reply(client, plain_account):
    MenuClickReply.objects.create(
        account=plain_account, event_key="FLOOD_NOW", reply_text="汛情实况：…"
    )
    fields = {
        "ToUserName": plain_account.original_id,
        "FromUserName": OPENID,
        "CreateTime": int(time.time()),
        "MsgType": "event",
        "Event": "CLICK",
        "EventKey": "FLOOD_NOW",
    }
    reply = wxxml.xml_to_dict(post(client, plain_account, fields).content)
    assert reply["Content"] == "汛情实况：…"


def test_a_registered_provider_can_answer_and_a_failing_one_is_skipped(client, plain_account):
    from zhengwei.wechat.inbound.dispatch import passive, unregister

    @passive("image")
    def broken(parsed):
        raise RuntimeError("boom")

    @passive("image")
    def thanks(parsed):
        return "收到照片"

    try:
        fields = {**text_fields(plain_account), "MsgType": "image", "PicUrl": "http://x/p.jpg"}
        del fields["Content"]
        reply = wxxml.xml_to_dict(post(client, plain_account, fields).content)
        assert reply["Content"] == "收到照片"
    finally:
        unregister(broken)
        unregister(thanks)
