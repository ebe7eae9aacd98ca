import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.lib import wxxml
from zhengwei.wechat.inbound import services
from zhengwei.wechat.inbound.models import (
    ChangeState,
    ContentChange,
    KeywordReply,
    MenuClickReply,
)
from zhengwei.wechat.inbound.tests.helpers import crypto_for, post, text_fields

LIST = reverse("wechat_inbound:replies")


def _approved_by_the_office(world, client_for) -> None:
    """The delegated model's path: the office reviewer, then the office leader approve."""
    for role in ("office_reviewer", "office_leader"):
        change = ContentChange.objects.filter(state=ChangeState.PENDING).get()
        client_for(world[role]).post(
            reverse("wechat_inbound:change_act", args=[change.pk, "approve"])
        )


def test_the_operators_keyword_reply_answers_once_the_office_approved_it(world, client_for, client):
    operator = client_for(world["operator"])
    response = operator.post(
        f"{reverse('wechat_inbound:keyword_new')}?account={world.account.pk}",
        {"keyword": "水位", "match": "contains", "reply_text": "闽江水位正常。", "active": "on"},
    )
    assert response.status_code == 302
    assert not KeywordReply.objects.exists()  # nothing reaches citizens before approval
    _approved_by_the_office(world, client_for)
    rule = KeywordReply.objects.get()
    assert (rule.keyword, rule.match, rule.account) == ("水位", "contains", world.account)
    entry = AuditEntry.objects.get(action="wechat.keyword.create")
    assert entry.actor == world["operator"] and entry.note.startswith("change #")
    answer = post(client, world.account, text_fields(world.account, "今天闽江水位怎样"))
    assert (
        wxxml.xml_to_dict(crypto_for(world.account).decrypt_reply(answer.content))["Content"]
        == "闽江水位正常。"
    )


def test_the_operator_edits_and_deletes_a_menu_click_reply_through_the_office(world, client_for):
    operator = client_for(world["operator"])
    operator.post(
        f"{reverse('wechat_inbound:menu_new')}?account={world.account.pk}",
        {"event_key": "FLOOD_NOW", "reply_text": "汛情实况", "active": "on"},
    )
    _approved_by_the_office(world, client_for)
    rule = MenuClickReply.objects.get()
    operator = client_for(world["operator"])  # one test client, signed in again
    operator.post(
        reverse("wechat_inbound:menu_edit", args=[rule.pk]),
        {"event_key": "FLOOD_NOW", "reply_text": "今日汛情实况", "active": "on"},
    )
    rule.refresh_from_db()
    assert rule.reply_text == "汛情实况"
    _approved_by_the_office(world, client_for)
    rule.refresh_from_db()
    assert rule.reply_text == "今日汛情实况"
    update = AuditEntry.objects.get(action="wechat.menu_reply.update")
    assert update.before == {"reply_text": "汛情实况"} and update.after == {
        "reply_text": "今日汛情实况"
    }
    operator = client_for(world["operator"])
    operator.post(reverse("wechat_inbound:menu_delete", args=[rule.pk]))
    assert MenuClickReply.objects.exists()
    _approved_by_the_office(world, client_for)
    assert not MenuClickReply.objects.exists()
    assert AuditEntry.objects.filter(action="wechat.menu_reply.delete").exists()


def test_a_duplicate_keyword_is_explained_not_a_crash(world, client_for):
    KeywordReply.objects.create(account=world.account, keyword="雨情", reply_text="x")
    response = client_for(world["operator"]).post(
        f"{reverse('wechat_inbound:keyword_new')}?account={world.account.pk}",
        {"keyword": "雨情", "match": "exact", "reply_text": "y", "active": "on"},
    )
    assert response.status_code == 200
    assert KeywordReply.objects.count() == 1


@pytest.mark.parametrize("role", ["duty_officer", "editor", "office_leader"])
def test_other_roles_see_the_replies_but_cannot_change_them(world, client_for, role):
    KeywordReply.objects.create(account=world.account, keyword="雨情", reply_text="今日雨情")
    client = client_for(world[role])
    page = client.get(LIST).content.decode()
    assert "今日雨情" in page and 'data-testid="keyword-new"' not in page
    new = client.post(
        f"{reverse('wechat_inbound:keyword_new')}?account={world.account.pk}",
        {"keyword": "x", "match": "exact", "reply_text": "y"},
    )
    assert new.status_code == 403
    with pytest.raises(PermissionDenied):
        services.keyword_reply_create(
            actor=world[role], account=world.account, keyword="x", reply_text="y"
        )
    assert KeywordReply.objects.count() == 1


def test_an_outsider_cannot_touch_another_accounts_replies(world, client_for):
    rule = KeywordReply.objects.create(account=world.account, keyword="雨情", reply_text="x")
    client = client_for(world.outsider)
    assert client.post(reverse("wechat_inbound:keyword_delete", args=[rule.pk])).status_code == 403
    assert KeywordReply.objects.exists()
