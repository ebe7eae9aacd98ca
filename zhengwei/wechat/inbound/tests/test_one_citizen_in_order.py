"""Task workers handle one citizen's messages in the order they came, also when two workers
claim at once: 我要报灾, then the description, then 确认 (issue #9, found by the end-to-end bench)."""

import pytest

from zhengwei.wechat.inbound.models import InboundMessage, State
from zhengwei.wechat.inbound.services import inbound_claim, inbound_process
from zhengwei.wechat.inbound.tests.helpers import post, text_fields

pytestmark = pytest.mark.django_db

OTHER = "oCitizen0000000000000000002"


def test_a_message_waits_while_an_earlier_one_of_its_citizen_is_with_another_worker(
    client, account
):
    for text in ("我要报灾", "路口积水齐膝"):
        post(client, account, text_fields(account, text))
    post(client, account, text_fields(account, "请问安置点在哪里？", openid=OTHER))
    first_token, first = inbound_claim(limit=1)  # worker A takes 我要报灾
    second_token, second = inbound_claim(limit=10)  # worker B, meanwhile
    assert [m.field("Content") for m in first] == ["我要报灾"]
    assert [m.field("Content") for m in second] == ["请问安置点在哪里？"]
    inbound_process(first, token=first_token)
    _, third = inbound_claim(limit=10)  # A is done: the description may go now
    assert [m.field("Content") for m in third] == ["路口积水齐膝"]
    assert InboundMessage.objects.filter(state=State.PROCESSING).count() == 2
