"""The demo custom menu of 福建防汛, stored locally as the current menu.

Seeding makes no call to WeChat: the menu is recorded (menu_record) as if already on the
platform, so the 「自定义菜单」 page has something to show and edit. 「发布」 sends it for real.
"""

from __future__ import annotations

from zhengwei.demo.constants import ORIGINAL_ID
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound import services
from zhengwei.wechat.outbound.models import PublishedMenu

MENU = {
    "button": [
        {
            "name": "汛情实况",
            "sub_button": [
                {"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY"},
                {"type": "click", "name": "雨情水情", "key": "RAIN_WATER"},
                {"type": "click", "name": "台风路径", "key": "TYPHOON"},
            ],
        },
        {
            "name": "工作动态",
            "sub_button": [
                {"type": "click", "name": "防汛动态", "key": "SIM_WORK_NEWS"},
                {"type": "click", "name": "防汛知识", "key": "SIM_KNOWLEDGE"},
            ],
        },
        {
            "name": "我报灾情",
            "sub_button": [
                {"type": "location_select", "name": "发送位置", "key": "REPORT_LOCATION"},
                {"type": "pic_photo_or_album", "name": "拍照上报", "key": "REPORT_PHOTO"},
                {"type": "click", "name": "报灾须知", "key": "REPORT"},
            ],
        },
    ]
}


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    if PublishedMenu.objects.filter(account=account).exists():
        out("demo: custom menu already stored")
        return
    # Recorded by the office's administrator: the menu already on WeChat, not a contractor's
    # draft (which would wait for the office's approval).
    admin = User.objects.get(username="admin")
    services.menu_record(actor=admin, account=account, menu=MENU)
    out("demo: custom menu stored locally (not published to WeChat)")
