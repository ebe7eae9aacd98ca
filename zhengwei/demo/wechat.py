"""Demo auto-replies of 福建防汛: keywords and menu clicks that answer instantly in chat."""

from __future__ import annotations

from zhengwei.demo.constants import ORIGINAL_ID
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.inbound import services
from zhengwei.wechat.inbound.models import KeywordReply, Match, MenuClickReply

KEYWORDS = [
    (
        "帮助",
        Match.EXACT,
        "您好，这里是福建防汛。点击菜单「我报灾情」可上报险情：先发送位置，再拍照，"
        "最后用文字说明情况并回复「确认」提交；遇人员被困等紧急情况请立即拨打110/119。",
    ),
    (
        "报灾",
        Match.CONTAINS,
        "上报灾情：点菜单「我报灾情」→「发送位置」「拍照上报」，再发文字说明，"
        "回复「确认」即提交，值班员将在第一时间处理。",
    ),
    (
        "防汛知识",
        Match.EXACT,
        "暴雨来临：远离河道、低洼地和危旧房屋；不要涉水过河；山区注意山洪和滑坡征兆，"
        "听从当地转移安排。",
    ),
]
CLICKS = [
    ("SIM_KNOWLEDGE", "防汛小知识：遇强降雨请及时转移到安全地带，切勿在河边、桥下和低洼处停留。"),
    ("SIM_WORK_NEWS", "防汛动态由省防汛办审核后发布，请关注本公众号推送。"),
]


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    operator = User.objects.get(username="operator")
    for keyword, match, text in KEYWORDS:
        if not KeywordReply.objects.filter(account=account, keyword=keyword).exists():
            services.keyword_reply_create(
                actor=operator, account=account, keyword=keyword, match=match, reply_text=text
            )
    for key, text in CLICKS:
        if not MenuClickReply.objects.filter(account=account, event_key=key).exists():
            services.menu_click_reply_create(
                actor=operator, account=account, event_key=key, reply_text=text
            )
    out("demo: keyword and menu replies ready")
