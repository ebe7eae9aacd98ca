"""In the delegated model the contractor's operator only drafts: a reply that speaks for the
government goes out when an office member approves it (or writes it); every review is a row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.interactions import services
from zhengwei.interactions.models import (
    Conversation,
    ReplyReview,
    ReplyState,
    ReviewOutcome,
)
from zhengwei.interactions.tests.helpers import Phone, sent_texts
from zhengwei.wechat.outbound.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(client, world, django_capture_on_commit_callbacks):
    Phone(client, world.account, django_capture_on_commit_callbacks).text("请问避灾点在哪里？")
    return Conversation.objects.get()


def send(capture, fn, **kwargs):
    with capture(execute=True):
        return fn(**kwargs)


def test_the_operator_may_draft_but_not_send(world, conversation):
    with pytest.raises(PermissionDenied):
        services.reply_send(actor=world["operator"], conversation=conversation, text="您好")
    draft = services.reply_draft_submit(
        actor=world["operator"], conversation=conversation, text="您好，最近的避灾点是上街镇中学。"
    )
    assert draft.state == ReplyState.PENDING and not draft.direct
    with pytest.raises(PermissionDenied):
        services.reply_approve(actor=world["operator"], draft=draft)
    with pytest.raises(PermissionDenied):  # any contractor role, whatever it holds
        services.reply_approve(actor=world["project_manager"], draft=draft)


def test_an_approved_draft_is_sent_to_the_citizen_with_its_review_on_record(
    world, conversation, wechat, django_capture_on_commit_callbacks
):
    draft = services.reply_draft_submit(
        actor=world["operator"], conversation=conversation, text="您好，最近的避灾点是上街镇中学。"
    )
    send(
        django_capture_on_commit_callbacks,
        services.reply_approve,
        actor=world["office_reviewer"],
        draft=draft,
        comment="可以",
    )
    draft.refresh_from_db()
    assert draft.state == ReplyState.SENT and draft.sent_by == world["office_reviewer"]
    review = ReplyReview.objects.get()
    assert (review.reviewer, review.outcome, review.comment) == (
        world["office_reviewer"],
        ReviewOutcome.APPROVED,
        "可以",
    )
    assert sent_texts(wechat, conversation.openid) == ["您好，最近的避灾点是上街镇中学。"]
    conversation.refresh_from_db()
    assert conversation.first_response_at is not None


def test_a_returned_draft_goes_back_to_its_author_and_comes_back_revised(
    world, conversation, wechat, django_capture_on_commit_callbacks
):
    draft = services.reply_draft_submit(
        actor=world["operator"], conversation=conversation, text="不知道"
    )
    with pytest.raises(ValidationError):
        services.reply_return(actor=world["duty_officer"], draft=draft, comment="")
    services.reply_return(actor=world["duty_officer"], draft=draft, comment="请给出具体地址")
    draft.refresh_from_db()
    assert draft.state == ReplyState.RETURNED and not sent_texts(wechat, conversation.openid)
    with pytest.raises(PermissionDenied):
        services.reply_draft_revise(actor=world["editor"], draft=draft, text="x")
    services.reply_draft_revise(actor=world["operator"], draft=draft, text="上街镇中学，文化路1号")
    send(
        django_capture_on_commit_callbacks,
        services.reply_approve,
        actor=world["duty_officer"],
        draft=draft,
    )
    assert [r.outcome for r in draft.reviews.all()] == ["returned", "approved"]
    assert sent_texts(wechat, conversation.openid) == ["上街镇中学，文化路1号"]


def test_office_staff_reply_directly(
    world, conversation, wechat, django_capture_on_commit_callbacks
):
    reply = send(
        django_capture_on_commit_callbacks,
        services.reply_send,
        actor=world["duty_officer"],
        conversation=conversation,
        text="上街镇中学。",
    )
    assert reply.direct and reply.state == ReplyState.SENT
    assert reply.outbound.created_by == world["duty_officer"]
    assert sent_texts(wechat, conversation.openid) == ["上街镇中学。"]


def test_a_reply_to_an_article_comment_is_posted_under_the_comment(
    world, wechat, django_capture_on_commit_callbacks
):
    comment = Comment.objects.create(
        account=world.account,
        msg_data_id=2247503052,
        index=0,
        user_comment_id=7,
        openid="oReader7",
        content="建议公布各县避灾点",
        created="2026-11-20T08:00:00+08:00",
    )
    services.conversation_receive_comments(account=world.account)
    conversation = Conversation.objects.get(comment=comment)
    wechat.route("/cgi-bin/comment/reply/add", {"errcode": 0, "errmsg": "ok"})
    draft = services.reply_draft_submit(
        actor=world["operator"], conversation=conversation, text="感谢建议，已在菜单上线。"
    )
    # A duty officer may approve but not manage comments: it goes out as the drafting operator.
    send(
        django_capture_on_commit_callbacks,
        services.reply_approve,
        actor=world["duty_officer"],
        draft=draft,
    )
    draft.refresh_from_db()
    assert draft.state == ReplyState.SENT
    (call,) = wechat.requests_to("/cgi-bin/comment/reply/add")
    assert call.json["user_comment_id"] == 7 and call.json["content"] == "感谢建议，已在菜单上线。"
    assert Comment.objects.get(pk=comment.pk).reply == "感谢建议，已在菜单上线。"


def test_a_refused_comment_reply_is_kept_as_failed_and_can_be_retried(
    world, wechat, django_capture_on_commit_callbacks
):
    comment = Comment.objects.create(
        account=world.account,
        msg_data_id=1,
        index=0,
        user_comment_id=8,
        openid="oR8",
        content="有问题",
        created="2026-11-20T08:00:00+08:00",
    )
    services.conversation_receive_comments(account=world.account)
    conversation = Conversation.objects.get(comment=comment)
    wechat.route("/cgi-bin/comment/reply/add", {"errcode": 88000, "errmsg": "closed"})
    draft = send(
        django_capture_on_commit_callbacks,
        services.reply_send,
        actor=world["office_leader"],
        conversation=conversation,
        text="已处理",
    )
    assert draft.state == ReplyState.FAILED and draft.error
    wechat.route("/cgi-bin/comment/reply/add", {"errcode": 0})
    draft = services.reply_retry(actor=world["office_leader"], draft=draft)
    assert draft.state == ReplyState.SENT
