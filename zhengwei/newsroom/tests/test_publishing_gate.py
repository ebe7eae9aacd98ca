"""Nothing unapproved, or edited after approval, ever reaches WeChat — by any path — and a
push is never sent twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from zhengwei.newsroom import services
from zhengwei.newsroom.models import Article, ArticleState, PushState
from zhengwei.newsroom.tests.helpers import approve_all, draft

pytestmark = pytest.mark.django_db
DRAFT_ADD = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
SENDALL = "/cgi-bin/message/mass/sendall"


@pytest.fixture
def platform(wechat):
    wechat.route(DRAFT_ADD, {"media_id": "DRAFT_1"})
    wechat.route(SUBMIT, {"errcode": 0, "publish_id": "2247483700", "msg_data_id": 2247483701})
    wechat.route(SENDALL, {"errcode": 0, "msg_id": 1000000001, "msg_data_id": 2247483651})
    wechat.route("/cgi-bin/draft/get", {"news_item": []})
    return wechat


def approved(world, title="台风防御指南"):
    article = draft(world, title=title)
    services.article_submit(actor=world["writer"], article=article)
    return approve_all(world, article)


def push_of(world, *articles, mode="publish"):
    push = services.push_plan(
        actor=world["operator"],
        account=world.account,
        title="推送",
        planned_for=timezone.localdate(),
    )
    services.push_set_articles(actor=world["operator"], push=push, articles=list(articles))
    return push


def sent_to_wechat(platform) -> int:
    return platform.count(DRAFT_ADD) + platform.count(SUBMIT) + platform.count(SENDALL)


def test_an_approved_push_is_published_from_its_approved_revision(world, platform):
    article = approved(world)
    push = push_of(world, article)
    services.push_schedule(
        actor=world["operator"], push=push, publish_at=timezone.now(), mode="publish"
    )
    call_command("newsroom_tick")
    push.refresh_from_db()
    assert push.state == PushState.PUBLISHING and push.publish_id == "2247483700"
    [request] = platform.requests_to(DRAFT_ADD)
    sent = request.json["articles"][0]
    assert sent["title"] == article.approved_revision.title
    assert sent["content"] == article.approved_revision.body_html
    assert sent["thumb_media_id"] == "COVER_MEDIA"
    # PUBLISHJOBFINISH arrives: published, with the article's URL.
    services.push_finish(
        account_id=world.account.pk,
        publish_id="2247483700",
        status=0,
        payload={
            "article_id": "A1",
            "article_detail": {"item": [{"idx": 1, "article_url": "https://mp.weixin.qq.com/s/x"}]},
        },
    )
    push.refresh_from_db()
    article.refresh_from_db()
    assert push.state == PushState.PUBLISHED and article.state == ArticleState.PUBLISHED
    assert article.url == "https://mp.weixin.qq.com/s/x"


@pytest.mark.parametrize("how", ["unreviewed", "in_review", "edited_after_approval", "db_tampered"])
def test_nothing_unapproved_or_edited_after_approval_reaches_wechat_by_any_path(
    world, platform, client_for, how
):
    good = approved(world, title="已审稿件")
    if how == "unreviewed":
        bad = draft(world, title="未审稿件")
    elif how == "in_review":
        bad = draft(world, title="审核中稿件")
        services.article_submit(actor=world["writer"], article=bad)
    else:
        bad = approved(world, title="改过的稿件")
    push = push_of(world, good, bad)
    # Schedule while everything was approved (for the edited cases), then change the article.
    if how in ("edited_after_approval", "db_tampered"):
        services.push_schedule(
            actor=world["operator"], push=push, publish_at=timezone.now(), mode="publish"
        )
        if how == "edited_after_approval":
            services.article_save(actor=world["writer"], article=bad, body_html="<p>改了</p>")
            push.refresh_from_db()
            assert push.state == PushState.PLANNED  # the edit took it off the schedule
        else:
            # Someone edits the row behind the services' back (admin shell, SQL).
            Article.objects.filter(pk=bad.pk).update(body_html="<p>私自改动</p>")
    else:
        with pytest.raises(ValidationError):
            services.push_schedule(
                actor=world["operator"], push=push, publish_at=timezone.now(), mode="publish"
            )
    # The page.
    client = client_for(world["operator"])
    client.post(
        reverse("newsroom:push_act", args=[push.pk, "schedule"]),
        {"publish_at": timezone.now().strftime("%Y-%m-%dT%H:%M"), "mode": "publish"},
    )
    client.post(reverse("newsroom:push_act", args=[push.pk, "retry"]))
    # The scheduler's command and the task it runs.
    call_command("newsroom_tick")
    services.pushes_publish_due(now=timezone.now() + timedelta(days=1))
    # A direct call of the runner (what any other path would have to use).
    services.push_publish_run(push=push)
    assert sent_to_wechat(platform) == 0
    push.refresh_from_db()
    assert push.state in (PushState.PLANNED, PushState.FAILED, PushState.SCHEDULED)


def test_a_failed_publish_shows_wechat_s_reason_and_a_retry_does_not_add_a_second_draft(
    world, platform
):
    platform.route(
        SUBMIT,
        [
            {"errcode": 53503, "errmsg": "draft not pass publish check"},
            {"errcode": 0, "publish_id": "77"},
        ],
    )
    push = push_of(world, approved(world))
    services.push_schedule(
        actor=world["operator"], push=push, publish_at=timezone.now(), mode="publish"
    )
    services.pushes_publish_due()
    push.refresh_from_db()
    assert push.state == PushState.FAILED and "53503" in push.error
    services.push_retry(actor=world["operator"], push=push)
    push.refresh_from_db()
    assert push.publish_id == "77" and push.state == PushState.PUBLISHING
    assert platform.count(DRAFT_ADD) == 1 and platform.count(SUBMIT) == 2


def test_a_submit_whose_answer_was_lost_is_not_repeated_once_wechat_took_the_draft(world, platform):
    platform.route(SUBMIT, 502)  # the proxy answered for WeChat: did it publish? unknown
    push = push_of(world, approved(world))
    services.push_schedule(
        actor=world["operator"], push=push, publish_at=timezone.now(), mode="publish"
    )
    services.pushes_publish_due()
    push.refresh_from_db()
    assert push.state == PushState.FAILED
    submits = platform.count(SUBMIT)
    platform.route("/cgi-bin/draft/get", {"errcode": 53404, "errmsg": "draft has been published"})
    services.push_retry(actor=world["operator"], push=push)
    push.refresh_from_db()
    assert push.state == PushState.FAILED
    assert "Uncertain" in push.error or "不确定" in push.error
    assert platform.count(SUBMIT) == submits


def test_a_mass_send_carries_the_push_key_so_a_retry_cannot_send_twice(world, platform):
    platform.route(
        SENDALL,
        [
            {"errcode": -1, "errmsg": "system busy"},
            {"errcode": 45065, "errmsg": "clientmsgid exist"},
        ],
    )
    push = push_of(world, approved(world))
    services.push_schedule(
        actor=world["operator"], push=push, publish_at=timezone.now(), mode="mass_send"
    )
    services.pushes_publish_due()
    push.refresh_from_db()
    keys = {r.json["clientmsgid"] for r in platform.requests_to(SENDALL)}
    assert keys == {push.key}
    if push.state == PushState.FAILED:
        services.push_retry(actor=world["operator"], push=push)
        push.refresh_from_db()
    assert push.state == PushState.PUBLISHED
    assert {r.json["clientmsgid"] for r in platform.requests_to(SENDALL)} == {push.key}


def test_a_subscription_account_gets_one_mass_send_a_day(world, platform):
    first = push_of(world, approved(world, "一"))
    services.push_schedule(
        actor=world["operator"], push=first, publish_at=timezone.now(), mode="mass_send"
    )
    second = push_of(world, approved(world, "二"))
    with pytest.raises(ValidationError, match="once a day|每天"):
        services.push_schedule(
            actor=world["operator"], push=second, publish_at=timezone.now(), mode="mass_send"
        )
    services.push_schedule(
        actor=world["operator"], push=second, publish_at=timezone.now(), mode="publish"
    )


def test_two_runners_at_once_send_the_push_once(world, platform):
    push = push_of(world, approved(world))
    services.push_schedule(
        actor=world["operator"], push=push, publish_at=timezone.now(), mode="publish"
    )
    from zhengwei.newsroom.services.publishing import _claim

    now = timezone.now()
    assert _claim(push, now) is True
    assert _claim(push, now) is False  # the other process finds it leased
