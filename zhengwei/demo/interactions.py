"""Demo citizen interaction: the reply templates, and an inbox with a few conversations in
different states (an inquiry with the operator's draft awaiting approval, a complaint answered by
the duty officer, a suggestion, and an unsubmitted chat report the office should look at).

Everything goes through the interactions services, acting as the demo people.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhengwei.demo import constants as c
from zhengwei.interactions import services
from zhengwei.interactions.models import Category, Conversation
from zhengwei.orgs.models import User, WeChatAccount


def seed(out=print) -> None:
    account = WeChatAccount.objects.get(original_id=c.ORIGINAL_ID)
    created = services.reply_templates_seed(account=account)
    if created:
        out(f"demo: {created} reply templates for reports")
    if Conversation.objects.filter(account=account).exists():
        out("demo: inbox conversations already present")
        return
    people = {u.username: u for u in User.objects.filter(username__in=["duty", "operator"])}
    duty, operator = people["duty"], people["operator"]
    now = timezone.now()

    def receive(openid, text, minutes_ago, kind="text"):
        return services.conversation_receive(
            account=account,
            openid=openid,
            text=text,
            kind=kind,
            at=now - timedelta(minutes=minutes_ago),
        )

    # An inquiry; the contractor's operator drafted the answer, the office has not approved it yet.
    inquiry = receive("oDEMOcitizen0000000000011", "请问明天福州市区中小学会停课吗？", 50)
    services.conversation_classify(actor=operator, conversation=inquiry, category=Category.INQUIRY)
    services.conversation_assign(actor=duty, conversation=inquiry, assignee=operator)
    services.reply_draft_submit(
        actor=operator,
        conversation=inquiry,
        text="您好，停课安排以教育部门发布为准，请关注“福州教育”公众号；台风期间请减少外出。",
    )

    # A complaint the duty officer answered directly (queued until the citizen writes again).
    complaint = receive(
        "oDEMOcitizen0000000000012",
        "投诉：闽侯县上街镇排涝泵站一直没人管，电话13905910002打不通！",
        140,
    )
    services.reply_send(
        actor=duty,
        conversation=complaint,
        text="您反映的情况已转闽侯县防办核实，泵站值守人员将尽快与您联系。",
    )

    # A suggestion, not yet looked at.
    receive("oDEMOcitizen0000000000013", "建议在公众号增加各地避灾点查询功能。", 300)

    # Sounds like a disaster: stays with the office (the contractor never sees it).
    receive(
        "oDEMOcitizen0000000000014",
        "鼓楼区杨桥路地下车库进水了，水位还在涨，车都快淹了",
        8,
        kind="voice",
    )
    out(f"demo: {Conversation.objects.filter(account=account).count()} inbox conversations")
