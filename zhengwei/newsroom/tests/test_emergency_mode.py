import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.newsroom import services
from zhengwei.newsroom.models import Emergency
from zhengwei.newsroom.tests.helpers import draft, pending
from zhengwei.wechat.inbound.models import KeywordReply, MenuClickReply
from zhengwei.wechat.outbound import services as outbound

pytestmark = pytest.mark.django_db
MENU_CREATE = "/cgi-bin/menu/create"
BEFORE = {
    "button": [
        {"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY"},
        {"type": "click", "name": "防汛知识", "key": "SIM_KNOWLEDGE"},
    ]
}


def test_an_emergency_switches_the_fast_track_menu_and_replies_and_leaving_restores_them(
    world, wechat, client_for
):
    outbound.menu_record(actor=world["system_admin"], account=world.account, menu=BEFORE)
    KeywordReply.objects.create(
        account=world.account, keyword="台风", reply_text="办公室原有的回复"
    )
    leader = client_for(world["office_leader"])
    leader.post(
        reverse("newsroom:emergency"),
        {
            "verb": "declare",
            "kind": "typhoon",
            "level": "III",
            "name": "台风“纳沙”",
            "per_week": 14,
        },
    )
    emergency = Emergency.objects.get()
    assert emergency.active and emergency.per_week == 14
    # Reviews take the fast track.
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    assert pending(article).mode == "emergency"
    # The operator switches the menu and replies.
    operator = client_for(world["operator"])
    page = operator.get(reverse("newsroom:emergency"))
    assert 'data-testid="switch-on"' in page.text
    operator.post(reverse("newsroom:emergency"), {"verb": "switch_on"})
    emergency.refresh_from_db()
    assert emergency.saved["switched"] is True
    [sent] = wechat.requests_to(MENU_CREATE)
    names = [b["name"] for b in sent.json["button"]]
    assert names == ["今日汛情", "防汛应急"]
    live = sent.json["button"][1]["sub_button"][0]["url"]
    assert "/live/typhoon-" in live
    # The office's own 台风 reply is kept; 转移 and the guide click are added.
    assert KeywordReply.objects.get(keyword="台风").reply_text == "办公室原有的回复"
    assert KeywordReply.objects.filter(keyword="转移").exists()
    assert MenuClickReply.objects.filter(event_key="EMERGENCY_GUIDE").exists()
    # Ending needs the switch back first.
    with pytest.raises(ValidationError):
        services.emergency_end(actor=world["office_leader"], emergency=emergency)
    operator.post(reverse("newsroom:emergency"), {"verb": "switch_off"})
    assert wechat.requests_to(MENU_CREATE)[-1].json == BEFORE
    assert set(KeywordReply.objects.values_list("keyword", flat=True)) == {"台风"}
    assert not MenuClickReply.objects.filter(event_key="EMERGENCY_GUIDE").exists()
    leader = client_for(world["office_leader"])  # one test client, signed in again
    leader.post(reverse("newsroom:emergency"), {"verb": "end"})
    emergency.refresh_from_db()
    assert not emergency.active
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "newsroom.emergency.declare",
        "newsroom.emergency.switch_on",
        "newsroom.emergency.switch_off",
        "newsroom.emergency.end",
    } <= actions


def test_the_office_leader_cannot_switch_the_menu_but_the_operator_can(world, wechat):
    emergency = services.emergency_declare(
        actor=world["office_leader"],
        account=world.account,
        kind="rainstorm",
        name="7·30暴雨",
        level="IV",
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.emergency_switch(actor=world["office_leader"], emergency=emergency, on=True)
    services.emergency_switch(actor=world["operator"], emergency=emergency, on=True)
