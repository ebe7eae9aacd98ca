"""Phone preview (预览): a reviewer binds their own WeChat by sending "绑定 <code>" to the
account, then sends any draft to it through message/mass/preview — to that one openid, never
to the followers, and without touching the publishing gate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengwei.interactions.models import Conversation
from zhengwei.interactions.tests.helpers import Phone, reply_text
from zhengwei.newsroom import services
from zhengwei.newsroom.binding import bind_code_in
from zhengwei.newsroom.models import PreviewBinding
from zhengwei.newsroom.tests.helpers import draft
from zhengwei.wechat.inbound import keys, replies

pytestmark = pytest.mark.django_db
REVIEWER_OPENID = "oReviewerOwnWeChat0000000001"
PREVIEW = "/cgi-bin/message/mass/preview"
DRAFT_ADD = "/cgi-bin/draft/add"


@pytest.fixture(autouse=True)
def _fresh_caches():
    keys.forget_account()
    replies.forget_rules()
    yield
    keys.forget_account()


@pytest.fixture
def reviewer_phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks, REVIEWER_OPENID)


def bind(world, phone, person="office_reviewer"):
    binding = services.preview_code_issue(actor=world[person], account=world.account)
    response = phone.text(f"绑定 {binding.code}")
    return binding, response


def test_the_binding_message_is_recognised_and_nothing_else_is():
    assert bind_code_in("绑定 123456") == "123456"
    assert bind_code_in(" 预览绑定：654321 ") == "654321"
    assert bind_code_in("绑定 12345") is None and bind_code_in("我要绑定 123456") is None


def test_a_reviewer_binds_their_wechat_by_sending_the_code_from_it(world, reviewer_phone):
    binding, response = bind(world, reviewer_phone)
    assert "已绑定" in reply_text(response) or "Bound" in reply_text(response)
    binding.refresh_from_db()
    assert binding.openid == REVIEWER_OPENID and binding.bound_at is not None
    assert binding.code == ""  # used up
    # The code never lands in the office's inbox as a citizen's message.
    assert not Conversation.objects.filter(account=world.account).exists()


def test_a_wrong_or_expired_code_binds_nobody(world, reviewer_phone):
    binding = services.preview_code_issue(actor=world["office_reviewer"], account=world.account)
    PreviewBinding.objects.filter(pk=binding.pk).update(
        code_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = reviewer_phone.text(f"绑定 {binding.code}")
    assert "过期" in reply_text(response) or "expired" in reply_text(response)
    binding.refresh_from_db()
    assert binding.openid == "" and binding.code


def test_the_preview_goes_to_the_reviewers_own_wechat_only(world, reviewer_phone, wechat):
    wechat.route(DRAFT_ADD, {"media_id": "PREVIEW_DRAFT_1"})
    wechat.route(PREVIEW, {"errcode": 0, "errmsg": "preview success", "msg_id": 34182})
    bind(world, reviewer_phone)
    article = draft(world, title="台风“纳沙”防御指南")
    services.article_preview(actor=world["office_reviewer"], article=article)
    [sent] = wechat.requests_to(PREVIEW)
    assert sent.json["touser"] == REVIEWER_OPENID
    assert sent.json["mpnews"] == {"media_id": "PREVIEW_DRAFT_1"}
    [added] = wechat.requests_to(DRAFT_ADD)
    assert added.json["articles"][0]["title"] == article.revision.title
    assert wechat.count("/cgi-bin/message/mass/sendall") == 0
    article.refresh_from_db()
    assert article.preview_media_id == "PREVIEW_DRAFT_1" and article.state == "draft"


def test_a_second_preview_clears_the_first_draft_from_the_draft_box(world, reviewer_phone, wechat):
    wechat.route(DRAFT_ADD, [{"media_id": "D1"}, {"media_id": "D2"}])
    wechat.route(PREVIEW, {"errcode": 0, "msg_id": 1})
    wechat.route("/cgi-bin/draft/delete", {"errcode": 0})
    bind(world, reviewer_phone)
    article = draft(world)
    services.article_preview(actor=world["office_reviewer"], article=article)
    services.article_preview(actor=world["office_reviewer"], article=article)
    [deleted] = wechat.requests_to("/cgi-bin/draft/delete")
    assert deleted.json["media_id"] == "D1"


def test_without_a_bound_wechat_the_preview_is_refused_and_the_page_says_how_to_bind(
    world, client_for
):
    article = draft(world)
    client = client_for(world["office_leader"])
    page = client.get(reverse("newsroom:article", args=[article.pk])).content.decode()
    assert 'data-testid="bind-link"' in page and 'data-testid="send-preview"' not in page
    response = client.post(reverse("newsroom:article_act", args=[article.pk, "preview"]))
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "绑定" in follow or "Bind" in follow
    bind_page = client.get(reverse("newsroom:preview_wechat")).content.decode()
    assert 'data-testid="get-code"' in bind_page
    client.post(reverse("newsroom:preview_wechat"), {"account": world.account.pk, "verb": "code"})
    code = PreviewBinding.objects.get(user=world["office_leader"]).code
    page = client.get(reverse("newsroom:preview_wechat")).content.decode()
    assert f"绑定 {code}" in page and 'data-testid="bind-code"' in page


def test_a_bound_reviewer_previews_from_the_article_page(world, reviewer_phone, client_for, wechat):
    wechat.route(DRAFT_ADD, {"media_id": "PREVIEW_DRAFT_2"})
    wechat.route(PREVIEW, {"errcode": 0, "msg_id": 2})
    bind(world, reviewer_phone)
    article = draft(world)
    client = client_for(world["office_reviewer"])
    page = client.get(reverse("newsroom:article", args=[article.pk])).content.decode()
    assert 'data-testid="send-preview"' in page
    client.post(reverse("newsroom:article_act", args=[article.pk, "preview"]))
    assert wechat.count(PREVIEW) == 1


def test_people_outside_the_newsroom_cannot_preview(world):
    article = draft(world)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.article_preview(actor=world["duty_officer"], article=article)
    with pytest.raises(PermissionDenied):
        services.preview_code_issue(actor=world["duty_officer"], account=world.account)
