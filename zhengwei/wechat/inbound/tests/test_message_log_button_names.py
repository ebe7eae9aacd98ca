"""The message log names a menu click by the button the citizen pressed (防汛知识), as the menu
read at that moment, never by its key (SIM_KNOWLEDGE): keys are codes (issue #7)."""

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.services import menu_button_names_record
from zhengwei.wechat.inbound.tests.helpers import post

URL = reverse("wechat_inbound:messages")
MENU = {
    "button": [
        {
            "name": "工作动态",
            "sub_button": [{"type": "click", "name": "防汛知识", "key": "SIM_KNOWLEDGE"}],
        },
        {"type": "view", "name": "官方网站", "url": "https://fxkh.fujian.gov.cn/"},
    ]
}


def _press(client, account, key: str, *, event: str = "CLICK", n: int = 0) -> InboundMessage:
    fields = {
        "ToUserName": account.original_id,
        "FromUserName": "oCitizenWhoPressed",
        "CreateTime": int(time.time()) + n,
        "MsgType": "event",
        "Event": event,
        "EventKey": key,
    }
    post(client, account, fields)
    return InboundMessage.objects.get(event_key=key, create_time=fields["CreateTime"])


def _rows(client_for, world) -> list[str]:
    page = client_for(world["operator"]).get(URL).content.decode()
    assert 'data-testid="inbound-row"' in page
    return page.split('data-testid="inbound-row"')[1:]


def test_a_click_row_shows_the_buttons_chinese_name_and_never_its_key(world, client, client_for):
    menu_button_names_record(account=world.account, menu=MENU)
    _press(client, world.account, "SIM_KNOWLEDGE")
    _press(client, world.account, "https://fxkh.fujian.gov.cn/", event="VIEW")
    page = client_for(world["operator"]).get(URL).content.decode()
    assert "防汛知识" in page and "官方网站" in page
    assert "SIM_KNOWLEDGE" not in page


def test_a_click_keeps_the_name_the_button_had_when_it_was_pressed(world, client, client_for):
    menu_button_names_record(account=world.account, menu=MENU, now=timezone.now() - timedelta(1))
    older = _press(client, world.account, "SIM_KNOWLEDGE")
    renamed = {"button": [{"type": "click", "name": "避险常识", "key": "SIM_KNOWLEDGE"}]}
    assert menu_button_names_record(account=world.account, menu=renamed) == 1
    assert menu_button_names_record(account=world.account, menu=renamed) == 0  # unchanged
    newer = _press(client, world.account, "SIM_KNOWLEDGE", n=1)
    assert older.received_at < newer.received_at
    newest_first = _rows(client_for, world)
    assert "避险常识" in newest_first[0] and "防汛知识" in newest_first[1]
    assert all("SIM_KNOWLEDGE" not in row for row in newest_first)


def test_a_key_no_menu_ever_had_is_not_shown_either(world, client, client_for):
    _press(client, world.account, "SIM_REPORT_GUIDE")
    (row,) = _rows(client_for, world)
    assert "SIM_REPORT_GUIDE" not in row
    assert "已不在菜单中的按钮" in row
