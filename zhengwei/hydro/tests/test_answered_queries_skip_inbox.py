"""A keyword query the data answered in chat is settled: it does not wait in the 互动 inbox."""

import pytest

from zhengwei.hydro import chat
from zhengwei.interactions.models import Conversation, InboxItem
from zhengwei.interactions.tests.helpers import Phone, reply_text
from zhengwei.wechat.inbound import keys, replies
from zhengwei.wechat.inbound.models import InboundMessage


@pytest.fixture(autouse=True)
def _fresh():
    keys.forget_account()
    replies.forget_rules()
    yield
    keys.forget_account()
    replies.forget_rules()


@pytest.fixture
def phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks)


def test_an_answered_rain_query_is_recorded_as_answered_and_left_out_of_the_inbox(phone, flood):
    assert "507.7" in reply_text(phone.text("雨情"))
    (message,) = [m for m in InboundMessage.objects.all() if m.field("Content") == "雨情"]
    assert message.state == "processed" and "507.7" in message.reply_xml
    assert not Conversation.objects.exists()
    assert not InboxItem.objects.exists()


def test_a_question_for_a_person_still_reaches_the_inbox(phone, flood):
    question = "请问明天台风来了学校会不会停课，我家孩子在连江一中"
    assert reply_text(phone.text(question)) == ""
    item = InboxItem.objects.get()
    assert item.text == question and item.conversation.state == "new"


def test_a_query_and_then_a_question_open_one_conversation_with_only_the_question(phone, flood):
    phone.text("台风")
    phone.text("我家在连江下宫，房子后面的山在掉石头，怎么办")
    assert [i.text for i in InboxItem.objects.all()] == [
        "我家在连江下宫，房子后面的山在掉石头，怎么办"
    ]


@pytest.mark.parametrize(
    "text", ["雨情", "今天雨情怎么样？", "查询水位", "台风最新情况", "永泰", "连江县雨情"]
)
def test_bare_keyword_queries_are_settled(text):
    assert chat.is_bare_query(text)


@pytest.mark.parametrize(
    "text", ["鼓楼区杨桥路地下车库进水了，水位还在涨", "台风把我家屋顶掀了", "你好", ""]
)
def test_messages_that_say_more_than_the_query_are_not_settled(text):
    assert not chat.is_bare_query(text)


def test_a_disaster_message_that_mentions_a_keyword_still_reaches_the_inbox(phone, flood):
    phone.text("鼓楼区杨桥路地下车库进水了，水位还在涨")
    assert InboxItem.objects.get().text == "鼓楼区杨桥路地下车库进水了，水位还在涨"
