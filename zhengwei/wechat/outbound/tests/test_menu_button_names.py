"""Whenever a menu becomes current — published, recorded, or fetched back from WeChat — the
inbound app learns its buttons' names, so the message log can name what citizens press."""

import pytest

from zhengwei.wechat.inbound.models import MenuButtonName
from zhengwei.wechat.outbound import services, tokens

pytestmark = pytest.mark.django_db
MENU = {
    "button": [
        {"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY"},
        {
            "name": "我报灾情",
            "sub_button": [
                {"type": "location_select", "name": "发送位置", "key": "REPORT_LOCATION"},
                {"type": "view", "name": "报灾指南", "url": "https://example.gov.cn/guide"},
            ],
        },
    ]
}
NAMES = {
    "FLOOD_TODAY": "今日汛情",
    "REPORT_LOCATION": "发送位置",
    "https://example.gov.cn/guide": "报灾指南",
}


def _names(account) -> dict[str, str]:
    return dict(MenuButtonName.objects.filter(account=account).values_list("key", "name"))


def test_publishing_a_menu_records_its_button_names(world, fake):
    tokens.get_token(world.account)
    services.menu_publish(actor=world["system_admin"], account=world.account, menu=MENU)
    assert _names(world.account) == NAMES


def test_recording_a_menu_records_its_button_names(world):
    services.menu_record(actor=world["system_admin"], account=world.account, menu=MENU)
    assert _names(world.account) == NAMES


def test_a_fetched_menu_records_its_button_names(world, fake):
    tokens.get_token(world.account)
    fake.route("/cgi-bin/menu/get", {"menu": MENU})
    services.menu_fetch(actor=world["system_admin"], account=world.account)
    assert _names(world.account) == NAMES
