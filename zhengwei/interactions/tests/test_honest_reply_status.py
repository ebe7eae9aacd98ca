"""A reply beyond the citizen's 48-hour window is queued, and the inbox says so."""

import pytest

from zhengwei.interactions import services
from zhengwei.interactions.models import Conversation
from zhengwei.interactions.tests.helpers import OPENID, Phone
from zhengwei.wechat.outbound.windows import window_close

pytestmark = pytest.mark.django_db


def test_a_queued_reply_is_not_called_sent(
    client, client_for, world, django_capture_on_commit_callbacks
):
    Phone(client, world.account, django_capture_on_commit_callbacks).text("请问避灾点在哪里？")
    conversation = Conversation.objects.get()
    window_close(world.account.pk, OPENID)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.reply_send(
            actor=world["duty_officer"], conversation=conversation, text="最近的避灾点在镇政府。"
        )
    assert draft.outbound.state == "waiting_window"
    assert draft.delivery_label == "已排队：群众再次发消息后自动发出"
    officer = client_for(world["duty_officer"])
    page = officer.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "已排队：群众再次发消息后自动发出" in page
    inbox = officer.get("/inbox/", {"state": "all"}).content.decode()
    assert 'data-testid="waiting"' in inbox and "1 条排队中" in inbox
