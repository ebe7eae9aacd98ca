"""The message log names the menu button a citizen tapped, never its key (issue #7: the log
showed SIM_REPORT_GUIDE); a key the current menu no longer has is shown apart, as a code."""

import time

import pytest
from django.urls import reverse

from zhengwei.demo.menu import MENU
from zhengwei.wechat.inbound.tests.helpers import post
from zhengwei.wechat.outbound import services as outbound

pytestmark = pytest.mark.django_db


def _click(account, key: str):
    return {
        "ToUserName": account.original_id,
        "FromUserName": "oCitizenClicking",
        "CreateTime": int(time.time()),
        "MsgType": "event",
        "Event": "CLICK",
        "EventKey": key,
    }


def test_a_click_shows_the_buttons_name_and_a_retired_key_only_as_a_code(world, client, client_for):
    account = world.account
    outbound.menu_record(actor=world["operator"], account=account, menu=MENU)
    post(client, account, _click(account, "SIM_KNOWLEDGE"))
    post(client, account, _click(account, "RETIRED_GUIDE"))
    page = client_for(world["duty_officer"]).get(reverse("wechat_inbound:messages")).content
    page = page.decode()
    assert "「防汛知识」" in page
    assert "SIM_KNOWLEDGE" not in page
    assert "<code>RETIRED_GUIDE</code>" in page and "不在当前菜单" in page
