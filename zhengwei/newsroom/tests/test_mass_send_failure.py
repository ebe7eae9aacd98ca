"""A mass send WeChat accepted and then did not send (MASSSENDJOBFINISH ``err(10001)``,
``send fail``) turns failed with the reason in Chinese, the editor and the office are told, and
a retry is a fresh send; a failed publish names the articles WeChat refused (``fail_idx``)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from zhengwei.newsroom import listeners, services
from zhengwei.newsroom.models import ArticleState, PushState
from zhengwei.newsroom.tests.helpers import approve_all, draft
from zhengwei.notify.models import Notification

pytestmark = pytest.mark.django_db
SENDALL = "/cgi-bin/message/mass/sendall"


@pytest.fixture
def platform(wechat):
    wechat.route("/cgi-bin/draft/add", {"media_id": "DRAFT_1"})
    wechat.route(SENDALL, {"errcode": 0, "msg_id": 1000000001, "msg_data_id": 2247483651})
    wechat.route("/cgi-bin/freepublish/submit", {"errcode": 0, "publish_id": "2247483700"})
    return wechat


def sent_push(world, mode="mass_send", titles=("台风防御指南",)):
    articles = []
    for title in titles:
        article = draft(world, title=title)
        services.article_submit(actor=world["writer"], article=article)
        articles.append(approve_all(world, article))
    push = services.push_plan(
        actor=world["operator"],
        account=world.account,
        title="今日推送",
        planned_for=timezone.localdate(),
    )
    services.push_set_articles(actor=world["operator"], push=push, articles=articles)
    services.push_schedule(actor=world["operator"], push=push, publish_at=timezone.now(), mode=mode)
    services.pushes_publish_due()
    push.refresh_from_db()
    return push


def test_a_mass_send_refused_after_submission_turns_failed_with_the_reason_in_chinese(
    world, platform
):
    push = sent_push(world)
    assert push.state == PushState.PUBLISHED and push.msg_id == "1000000001"
    old_key = push.key
    with override("zh-hans"):
        listeners.on_masssend_finished(
            event="wechat.masssend_finished",
            account_id=world.account.pk,
            msg_id="1000000001",
            status="err(10001)",
            payload={"Status": "err(10001)", "ErrorCount": "0"},
        )
    push.refresh_from_db()
    assert push.state == PushState.FAILED
    assert "涉嫌广告" in push.error and "10001" in push.error
    assert push.published_at is None and push.msg_id == "" and push.key != old_key
    article = push.articles.get()
    assert article.state == ArticleState.APPROVED and article.published_at is None


def test_the_editor_the_office_and_whoever_scheduled_it_are_told(world, platform):
    push = sent_push(world)
    services.push_masssend_finish(
        account_id=world.account.pk, msg_id=push.msg_id, status="send fail", payload={}
    )
    told = set(
        Notification.objects.filter(kind="newsroom.push_failed").values_list(
            "recipient__username", flat=True
        )
    )
    for role in ("editor", "office_reviewer", "office_leader", "operator", "writer"):
        assert world[role].username in told
    assert world["duty_officer"].username not in told
    note = Notification.objects.filter(recipient=world["office_leader"]).get()
    assert note.url.endswith(f"/newsroom/pushes/{push.pk}/") and push.title in note.title


def test_a_retry_after_the_refusal_is_a_new_send_not_a_duplicate(world, platform):
    push = sent_push(world)
    services.push_masssend_finish(
        account_id=world.account.pk, msg_id=push.msg_id, status="err(20013)", payload={}
    )
    push.refresh_from_db()
    platform.route(SENDALL, {"errcode": 0, "msg_id": 1000000002, "msg_data_id": 2247483652})
    services.push_retry(actor=world["operator"], push=push)
    push.refresh_from_db()
    assert push.state == PushState.PUBLISHED and push.msg_id == "1000000002"
    keys = [r.json["clientmsgid"] for r in platform.requests_to(SENDALL)]
    assert len(keys) == 2 and keys[0] != keys[1] == push.key
    assert platform.count("/cgi-bin/draft/add") == 2  # the refused draft was consumed


def test_a_successful_finish_keeps_the_article_urls(world, platform):
    push = sent_push(world, titles=("一", "二"))
    services.push_masssend_finish(
        account_id=world.account.pk,
        msg_id=push.msg_id,
        status="send success",
        payload={
            "ArticleUrlResult": {
                "Count": "2",
                "ResultList": [
                    {"ArticleIdx": "1", "ArticleUrl": "https://mp.weixin.qq.com/s/one"},
                    {"ArticleIdx": "2", "ArticleUrl": "https://mp.weixin.qq.com/s/two"},
                ],
            }
        },
    )
    push.refresh_from_db()
    assert push.state == PushState.PUBLISHED
    assert [a.url for a in push.articles.order_by("position")] == [
        "https://mp.weixin.qq.com/s/one",
        "https://mp.weixin.qq.com/s/two",
    ]
    assert not Notification.objects.filter(kind="newsroom.push_failed").exists()


def test_an_unknown_error_code_is_still_named(world, platform):
    push = sent_push(world)
    with override("zh-hans"):
        services.push_masssend_finish(
            account_id=world.account.pk, msg_id=push.msg_id, status="err(99999)", payload={}
        )
    push.refresh_from_db()
    assert push.state == PushState.FAILED and "99999" in push.error


def test_a_failed_publish_names_the_articles_wechat_refused(world, platform):
    push = sent_push(world, mode="publish", titles=("第一篇", "第二篇", "第三篇"))
    assert push.state == PushState.PUBLISHING
    with override("zh-hans"):
        services.push_finish(
            account_id=world.account.pk,
            publish_id="2247483700",
            status=2,
            payload={"publish_status": "2", "fail_idx": ["1", "3"]},
        )
    push.refresh_from_db()
    assert push.state == PushState.FAILED
    assert "“第一篇”" in push.error and "“第三篇”" in push.error and "第二篇" not in push.error
    assert "原创" in push.error
    assert Notification.objects.filter(
        kind="newsroom.push_failed", recipient=world["office_leader"]
    ).exists()


def test_the_operator_sees_the_reason_and_pressing_retry_twice_sends_once(
    world, platform, client_for
):
    push = sent_push(world)
    with override("zh-hans"):
        services.push_masssend_finish(
            account_id=world.account.pk, msg_id=push.msg_id, status="err(10001)", payload={}
        )
    client = client_for(world["operator"])
    page = client.get(reverse("newsroom:push", args=[push.pk]))
    assert 'data-testid="push-error-next"' in page.text and "涉嫌广告" in page.text
    assert 'data-testid="retry"' in page.text
    platform.route(SENDALL, {"errcode": 0, "msg_id": 1000000002, "msg_data_id": 2247483652})
    retry = reverse("newsroom:push_act", args=[push.pk, "retry"])
    client.post(retry)
    client.post(retry)
    push.refresh_from_db()
    assert push.state == PushState.PUBLISHED and push.msg_id == "1000000002"
    assert platform.count(SENDALL) == 2  # the refused send and one retry
