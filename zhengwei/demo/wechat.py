"""Demo auto-replies of 福建防汛: keywords and menu clicks that answer instantly in chat."""

from __future__ import annotations

from zhengwei.demo.constants import ORIGINAL_ID
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.inbound import changes
from zhengwei.wechat.inbound.models import (
    ChangeKind,
    ChangeOp,
    ChangeState,
    ContentChange,
    KeywordReply,
    Match,
    MenuClickReply,
)

# The delegated model's approval path: the office reviewer (初审), then the office leader.
APPROVERS = ["reviewer", "leader"]

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
PENDING = (
    "投稿",
    Match.CONTAINS,
    "欢迎提供防汛线索和现场图片：请直接在对话框留言并附上地点，编辑核实后与您联系。",
)
CLICKS = [
    ("SIM_KNOWLEDGE", "防汛小知识：遇强降雨请及时转移到安全地带，切勿在河边、桥下和低洼处停留。"),
    ("SIM_WORK_NEWS", "防汛动态由省防汛办审核后发布，请关注本公众号推送。"),
]


def _through_the_office(account, operator, approvers, kind, payload) -> None:
    """Drafted by the contractor's operator, approved by the office reviewer then the leader."""
    change = changes.content_change_open(
        actor=operator, account=account, kind=kind, op=ChangeOp.CREATE, payload=payload
    )
    for person in approvers:
        change = changes.content_change_approve(actor=person, change=change)


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    people = {u.username: u for u in User.objects.filter(username__in=APPROVERS + ["operator"])}
    operator = people["operator"]
    approvers = [people[name] for name in APPROVERS]
    for keyword, match, text in KEYWORDS:
        if not KeywordReply.objects.filter(account=account, keyword=keyword).exists():
            payload = {"keyword": keyword, "match": match, "reply_text": text, "active": True}
            _through_the_office(account, operator, approvers, ChangeKind.KEYWORD, payload)
    for key, text in CLICKS:
        if not MenuClickReply.objects.filter(account=account, event_key=key).exists():
            payload = {"event_key": key, "reply_text": text, "active": True}
            _through_the_office(account, operator, approvers, ChangeKind.MENU_REPLY, payload)
    # One draft still waiting for the office (the approval page shows it).
    if not ContentChange.objects.filter(account=account, state=ChangeState.PENDING).exists():
        keyword, match, text = PENDING
        changes.content_change_open(
            actor=operator,
            account=account,
            kind=ChangeKind.KEYWORD,
            op=ChangeOp.CREATE,
            payload={"keyword": keyword, "match": match, "reply_text": text, "active": True},
        )
    out("demo: keyword and menu replies ready (approved by the office), one draft pending")
