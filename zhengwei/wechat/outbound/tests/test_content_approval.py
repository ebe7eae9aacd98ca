"""What the account says by itself (keyword and menu-click replies, the menu) speaks for the
government: in the delegated model the contractor drafts it and the office approves it, level by
level, each step a row; in emergency mode the duty leader may approve in one step. Nothing reaches
citizens before approval, and every way round it is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhengwei.orgs.models import Role, RoleGrant
from zhengwei.reports import services as reports
from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound import changes
from zhengwei.wechat.inbound import services as inbound
from zhengwei.wechat.inbound.models import (
    ChangeKind,
    ChangeOp,
    ChangeState,
    ContentChange,
    KeywordReply,
)
from zhengwei.wechat.outbound import services, tokens
from zhengwei.wechat.outbound.models import PublishedMenu

pytestmark = pytest.mark.django_db
MENU = {"button": [{"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY"}]}
REPLY = {"keyword": "水位", "match": "contains", "reply_text": "闽江水位正常。", "active": True}


def _draft(world, payload=None) -> ContentChange:
    return changes.content_change_open(
        actor=world["operator"],
        account=world.account,
        kind=ChangeKind.KEYWORD,
        op=ChangeOp.CREATE,
        payload=payload or REPLY,
    )


def test_a_contractors_keyword_reply_takes_effect_only_after_both_office_levels(world):
    change = _draft(world)
    assert change.chain == [Role.OFFICE_REVIEWER, Role.OFFICE_LEADER]
    assert not KeywordReply.objects.exists()
    change = changes.content_change_approve(actor=world["office_reviewer"], change=change)
    assert change.state == ChangeState.PENDING and not KeywordReply.objects.exists()
    change = changes.content_change_approve(actor=world["office_leader"], change=change)
    assert change.state == ChangeState.APPLIED
    assert KeywordReply.objects.get().reply_text == "闽江水位正常。"
    levels = [(r.level, r.role, r.reviewer) for r in change.reviews.all()]
    assert levels == [
        (1, Role.OFFICE_REVIEWER, world["office_reviewer"]),
        (2, Role.OFFICE_LEADER, world["office_leader"]),
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda w: inbound.keyword_reply_create(actor=w["operator"], account=w.account, **REPLY),
        lambda w: inbound.menu_click_reply_create(
            actor=w["operator"], account=w.account, event_key="K", reply_text="x"
        ),
        lambda w: services.menu_publish(actor=w["operator"], account=w.account, menu=MENU),
        lambda w: services.menu_record(actor=w["operator"], account=w.account, menu=MENU),
        lambda w: services.menu_remove(actor=w["operator"], account=w.account),
    ],
    ids=["keyword", "menu-reply", "menu-publish", "menu-record", "menu-remove"],
)
def test_the_contractor_cannot_change_anything_directly(world, fake, call):
    tokens.get_token(world.account)
    with pytest.raises(PermissionDenied):
        call(world)
    assert fake.requests_to("/cgi-bin/menu/create") == []
    assert fake.requests_to("/cgi-bin/menu/delete") == []
    assert not KeywordReply.objects.exists() and not PublishedMenu.objects.exists()
    # The office's administrator, who speaks for the office, publishes directly.
    services.menu_publish(actor=world["system_admin"], account=world.account, menu=MENU)
    assert len(fake.requests_to("/cgi-bin/menu/create")) == 1


def test_an_existing_reply_is_not_changed_or_deleted_by_the_contractor_directly(world):
    rule = KeywordReply.objects.create(account=world.account, keyword="雨情", reply_text="旧")
    with pytest.raises(PermissionDenied):
        inbound.keyword_reply_update(actor=world["operator"], reply=rule, reply_text="新")
    with pytest.raises(PermissionDenied):
        inbound.keyword_reply_delete(actor=world["operator"], reply=rule)
    rule.refresh_from_db()
    assert rule.reply_text == "旧"


def test_a_pending_returned_or_foreign_change_opens_no_door(world):
    pending = _draft(world)
    returned = _draft(world, REPLY | {"keyword": "雨量"})
    changes.content_change_return(actor=world["office_reviewer"], change=returned, comment="改")
    other = WeChatAccountFactory()
    foreign = ContentChange.objects.create(
        account=other,
        kind=ChangeKind.KEYWORD,
        op=ChangeOp.CREATE,
        drafted_by=world["operator"],
        state=ChangeState.APPROVED,
    )
    for change in (pending, returned, foreign):
        with pytest.raises(PermissionDenied):
            inbound.keyword_reply_create(
                actor=world["operator"], account=world.account, change=change, **REPLY
            )
    assert not KeywordReply.objects.exists()
    assert returned.reviews.get().comment == "改"


def test_nobody_outside_the_chain_approves_and_two_levels_need_two_people(world):
    change = _draft(world)
    for person in ("operator", "project_manager", "duty_officer", "office_leader", "auditor"):
        with pytest.raises(PermissionDenied):
            changes.content_change_approve(actor=world[person], change=change)
    # A reviewer who is also the office leader still cannot approve both levels.
    RoleGrant.objects.create(
        user=world["office_reviewer"], account=world.account, role=Role.OFFICE_LEADER
    )
    changes.content_change_approve(actor=world["office_reviewer"], change=change)
    with pytest.raises(PermissionDenied):
        changes.content_change_approve(actor=world["office_reviewer"], change=change)
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING and change.reviews.count() == 1


def test_the_fast_track_is_shut_outside_emergency_mode(world):
    change = _draft(world)
    with pytest.raises(ValidationError):
        changes.content_change_approve(actor=world["duty_leader"], change=change, fast_track=True)
    with pytest.raises(PermissionDenied):
        changes.content_change_approve(actor=world["operator"], change=change, fast_track=True)
    assert not KeywordReply.objects.exists()


def test_in_emergency_mode_the_duty_leader_approves_in_one_step(world, client_for):
    reports.emergency_start(
        actor=world["duty_leader"], account=world.account, reason="台风红色预警"
    )
    change = _draft(world)
    page = client_for(world["duty_leader"]).get(reverse("wechat_inbound:change", args=[change.pk]))
    assert 'data-testid="change-fast-track"' in page.content.decode()
    assert 'data-testid="change-approve"' not in page.content.decode()
    response = client_for(world["duty_leader"]).post(
        reverse("wechat_inbound:change_act", args=[change.pk, "fast-track"])
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED and change.fast_track
    [review] = change.reviews.all()
    assert review.fast_track and review.reviewer == world["duty_leader"]
    assert "台风红色预警" in review.comment
    assert KeywordReply.objects.filter(keyword="水位").exists()
    # The contractor cannot take the fast track, emergency or not.
    again = _draft(world, REPLY | {"keyword": "雨量"})
    with pytest.raises(PermissionDenied):
        changes.content_change_approve(actor=world["operator"], change=again, fast_track=True)


def test_a_contractors_menu_is_published_to_wechat_only_when_approved(
    world, client_for, fake, django_capture_on_commit_callbacks
):
    tokens.get_token(world.account)
    change = services.menu_change_submit(actor=world["operator"], account=world.account, menu=MENU)
    changes.content_change_approve(actor=world["office_reviewer"], change=change)
    assert fake.requests_to("/cgi-bin/menu/create") == []
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world["office_leader"]).post(
            reverse("wechat_inbound:change_act", args=[change.pk, "approve"])
        )
    [sent] = fake.requests_to("/cgi-bin/menu/create")
    assert sent.json == MENU
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED
    assert PublishedMenu.objects.get().published_by == world["operator"]


def test_the_operators_menu_page_submits_for_approval(world, client_for, fake):
    client = client_for(world["operator"])
    url = f"{reverse('wechat_outbound:menu')}?account={world.account.pk}"
    page = client.get(url).content.decode()
    assert 'data-testid="menu-submit"' in page and 'data-testid="menu-publish"' not in page
    response = client.post(
        url, {"action": "publish", "b1_name": "今日汛情", "b1_type": "click", "b1_value": "K1"}
    )
    change = ContentChange.objects.get()
    assert response.url == reverse("wechat_inbound:change", args=[change.pk])
    assert fake.calls == [] and change.state == ChangeState.PENDING


def test_the_chain_is_configured_per_operation_model(world, settings):
    settings.CONTENT_APPROVAL_CHAIN = '{"delegated": []}'
    inbound.keyword_reply_create(actor=world["operator"], account=world.account, **REPLY)
    assert KeywordReply.objects.filter(keyword="水位").exists()
    settings.CONTENT_APPROVAL_CHAIN = '{"delegated": ["office_leader"]}'
    change = _draft(world, REPLY | {"keyword": "雨量"})
    assert changes.content_change_approve(actor=world["office_leader"], change=change).state == (
        ChangeState.APPLIED
    )


def test_the_reviewer_sees_the_change_before_and_after_and_the_drafter_withdraws(world, client_for):
    rule = KeywordReply.objects.create(account=world.account, keyword="雨情", reply_text="旧回复")
    change = changes.content_change_open(
        actor=world["operator"],
        account=world.account,
        kind=ChangeKind.KEYWORD,
        op=ChangeOp.UPDATE,
        target=rule,
        payload={"keyword": "雨情", "match": "exact", "reply_text": "新回复", "active": True},
    )
    page = client_for(world["office_reviewer"]).get(
        reverse("wechat_inbound:change", args=[change.pk])
    )
    html = page.content.decode()
    assert "旧回复" in html and "新回复" in html and 'data-testid="change-approve"' in html
    assert "reply_text" not in html  # field names in words
    listing = client_for(world["office_reviewer"]).get(reverse("wechat_inbound:changes"))
    assert 'data-testid="changes-pending"' in listing.content.decode()
    changes.content_change_withdraw(actor=world["operator"], change=change)
    change.refresh_from_db()
    assert change.state == ChangeState.WITHDRAWN
    rule.refresh_from_db()
    assert rule.reply_text == "旧回复"
