from zhengwei.lib import wxxml
from zhengwei.wechat.inbound.models import InboundMessage, KeywordReply
from zhengwei.wechat.inbound.services import inbound_process_pending
from zhengwei.wechat.inbound.tests.helpers import crypto_for, post, text_fields


def test_a_retry_is_stored_once_and_answered_success(client, account):
    fields = text_fields(account, "有人被困")
    assert post(client, account, fields).content == b"success"
    assert post(client, account, fields, nonce="999").content == b"success"
    assert InboundMessage.objects.count() == 1


def test_a_retry_gets_the_first_reply_even_after_the_rule_changed(client, account):
    rule = KeywordReply.objects.create(account=account, keyword="雨情", reply_text="第一次的回答")
    fields = text_fields(account, "雨情")
    first = post(client, account, fields)
    rule.reply_text = "改过的回答"
    rule.save()
    from zhengwei.wechat.inbound.replies import forget_rules

    forget_rules()
    retry = post(client, account, fields, nonce="42")

    def content(response):
        return wxxml.xml_to_dict(crypto_for(account).decrypt_reply(response.content))["Content"]

    assert content(first) == content(retry) == "第一次的回答"
    assert InboundMessage.objects.count() == 1


def test_a_retry_never_runs_handlers_twice(client, account, django_capture_on_commit_callbacks):
    from zhengwei.wechat.inbound.dispatch import on_message, unregister

    calls = []

    @on_message("text")
    def count(message):
        calls.append(message.pk)

    try:
        fields = text_fields(account)
        with django_capture_on_commit_callbacks(execute=True):
            post(client, account, fields)
        inbound_process_pending()
        with django_capture_on_commit_callbacks(execute=True):
            post(client, account, fields, nonce="1")
            post(client, account, fields, nonce="2")
        inbound_process_pending()
    finally:
        unregister(count)
    assert len(calls) == 1
    assert InboundMessage.objects.get().state == "processed"


def test_an_event_retry_is_recognised_by_sender_time_event_and_key(client, account):
    import time

    fields = {
        "ToUserName": account.original_id,
        "FromUserName": "oX",
        "CreateTime": int(time.time()),
        "MsgType": "event",
        "Event": "CLICK",
        "EventKey": "A",
    }
    post(client, account, fields)
    post(client, account, fields, nonce="2")
    post(client, account, {**fields, "EventKey": "B"})
    assert InboundMessage.objects.count() == 2
