"""The demo custom menu of 福建防汛, published to WeChat (the simulator under ``./run``) the way
a contractor's menu always is: the operator drafts it, the office reviewer and then the office
leader approve it (``zhengwei.wechat.inbound.changes``), and the last approval publishes it.

``./run`` starts the simulator before seeding, so the phone shows this menu at once. When WeChat
cannot be reached the change is left failed with WeChat's reason and the next seeding tries again.
This is the one definition: the simulator's phone falls back to it, the crawl knows its keys.
"""

from __future__ import annotations

from zhengwei.demo.constants import ORIGINAL_ID
from zhengwei.demo.wechat import APPROVERS
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.inbound import changes
from zhengwei.wechat.inbound.models import ChangeState
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
        out("demo: custom menu already published")
        return
    people = {u.username: u for u in User.objects.filter(username__in=APPROVERS + ["operator"])}
    change = services.menu_change_submit(actor=people["operator"], account=account, menu=MENU)
    for name in APPROVERS:
        change = changes.content_change_approve(actor=people[name], change=change)
    if change.state == ChangeState.APPLIED:
        out("demo: custom menu approved by the office and published to WeChat")
    else:
        out(f"demo: custom menu approved but not published ({change.error}); seed again later")
