import pytest
from django.core.exceptions import PermissionDenied

from zhengwei.access.policy import ACTION_ROLES, may
from zhengwei.audit.models import AuditEntry
from zhengwei.wechat.outbound import policy, selectors, services, tokens
from zhengwei.wechat.outbound.models import OutboundMessage

pytestmark = pytest.mark.django_db
MENU = {"button": [{"type": "click", "name": "汛情实况", "key": "flood"}]}


def test_every_action_is_registered():
    for action in (
        policy.MENU_MANAGE,
        policy.CUSTOMER_MESSAGE_SEND,
        policy.CUSTOMER_MESSAGE_SEND_PERSONAL,
        policy.MASS_SEND,
        policy.COMMENT_VIEW,
        policy.COMMENT_MANAGE,
        policy.STATS_VIEW,
        policy.API_LOG_VIEW,
    ):
        assert action in ACTION_ROLES


def test_the_menu_is_managed_by_the_operator_and_the_administrator(world):
    allowed = {role for role in world.people if may(world[role], policy.MENU_MANAGE, world.account)}
    assert allowed == {"operator", "system_admin"}
    assert not may(world.outsider, policy.MENU_MANAGE, world.account)


def test_personal_replies_are_for_office_staff_only(world):
    allowed = {
        role
        for role in world.people
        if may(world[role], policy.CUSTOMER_MESSAGE_SEND_PERSONAL, world.account)
    }
    assert allowed == {"duty_officer", "duty_leader", "office_leader"}


def test_publishing_the_menu_is_audited(world, fake):
    tokens.get_token(world.account)
    services.menu_publish(actor=world["system_admin"], account=world.account, menu=MENU)
    assert fake.requests_to("/cgi-bin/menu/create")[0].json == MENU
    entry = AuditEntry.objects.get(action="wechat.menu.publish")
    assert entry.actor == world["system_admin"] and entry.after == MENU


def test_an_editor_cannot_change_the_menu(world, fake):
    with pytest.raises(PermissionDenied):
        services.menu_publish(actor=world["editor"], account=world.account, menu=MENU)
    assert fake.calls == []


def test_contractor_staff_do_not_see_personal_replies(world):
    OutboundMessage.objects.create(
        account=world.account, openid="o1", msgtype="text", body={}, personal=True
    )
    OutboundMessage.objects.create(account=world.account, openid="o2", msgtype="text", body={})
    mine = selectors.outbound_message_list(user=world["operator"], account=world.account)
    assert [m.openid for m in mine] == ["o2"]
    theirs = selectors.outbound_message_list(user=world["duty_officer"], account=world.account)
    assert theirs.count() == 2
