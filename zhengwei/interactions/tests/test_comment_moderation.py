"""The comment moderation page: readers' comments on every published push, watched from the
moment the newsroom publishes it; the operator opens or closes comments, features (精选) and
deletes them, and replies — a contractor's reply waits for the office's approval, the office's
goes out at once."""

import pytest
from django.urls import reverse

from zhengwei.interactions import services
from zhengwei.interactions.models import ReplyDraft, ReplyState
from zhengwei.wechat.outbound import services as outbound
from zhengwei.wechat.outbound.models import Comment, CommentThread

pytestmark = pytest.mark.django_db
MSG_DATA_ID = 2247483651
LIST = "/cgi-bin/comment/list"
REPLY = "/cgi-bin/comment/reply/add"
URL = reverse("interactions:comments")


@pytest.fixture
def comments(world, wechat, django_capture_on_commit_callbacks):
    outbound.comment_thread_watch(
        actor=None, account=world.account, msg_data_id=MSG_DATA_ID, title="台风“纳沙”防御指南"
    )
    wechat.route(
        LIST,
        {
            "errcode": 0,
            "total": 2,
            "comment": [
                {
                    "user_comment_id": 11,
                    "openid": "oReaderModeration0000000001",
                    "create_time": 1790000000,
                    "content": "请问闽侯县的避灾点在哪里？电话13905910002打不通",
                    "comment_type": 0,
                },
                {
                    "user_comment_id": 12,
                    "openid": "oReaderModeration0000000002",
                    "create_time": 1790000100,
                    "content": "辛苦了，注意安全",
                    "comment_type": 0,
                },
            ],
        },
    )
    for path in ("markelect", "unmarkelect", "delete", "open", "close", "reply/add"):
        wechat.route(f"/cgi-bin/comment/{path}", {"errcode": 0, "errmsg": "ok"})
    with django_capture_on_commit_callbacks(execute=True):
        outbound.comments_poll(account=world.account)
    return wechat


def test_the_operator_sees_each_watched_article_with_its_comments_masked(
    world, comments, client_for
):
    page = client_for(world["operator"]).get(URL).content.decode()
    assert "台风“纳沙”防御指南" in page and "辛苦了，注意安全" in page
    assert page.count('data-testid="comment"') == 2
    assert "13905910002" not in page and "139****0002" in page
    assert "oReaderModeration" not in page  # readers appear as pseudonyms


def test_featuring_and_closing_go_through_wechat(world, comments, client_for):
    client = client_for(world["operator"])
    comment = Comment.objects.get(user_comment_id=12)
    client.post(URL, {"verb": "elect", "comment": comment.pk})
    comment.refresh_from_db()
    assert comment.elected and comments.count("/cgi-bin/comment/markelect") == 1
    thread = CommentThread.objects.get()
    client.post(URL, {"verb": "close", "thread": thread.pk})
    thread.refresh_from_db()
    assert not thread.is_open and comments.count("/cgi-bin/comment/close") == 1
    page = client.get(URL).content.decode()
    assert 'data-testid="closed"' in page and 'data-testid="elected"' in page


def test_a_contractors_reply_waits_for_the_office(world, comments, client_for):
    comment = Comment.objects.get(user_comment_id=11)
    client_for(world["operator"]).post(
        URL, {"verb": "reply", "comment": comment.pk, "text": "闽侯县避灾点见菜单「汛情实况」"}
    )
    draft = ReplyDraft.objects.get()
    assert draft.state == ReplyState.PENDING and comments.count(REPLY) == 0
    page = client_for(world["operator"]).get(URL).content.decode()
    assert 'data-testid="waiting"' in page
    services.reply_approve(actor=world["office_leader"], draft=draft)
    [sent] = comments.requests_to(REPLY)
    assert sent.json["content"] == "闽侯县避灾点见菜单「汛情实况」"
    assert sent.json["user_comment_id"] == 11


def test_the_office_replies_at_once(world, comments, client_for):
    comment = Comment.objects.get(user_comment_id=12)
    client_for(world["office_leader"]).post(
        URL, {"verb": "reply", "comment": comment.pk, "text": "谢谢关心"}
    )
    [sent] = comments.requests_to(REPLY)
    assert sent.json["content"] == "谢谢关心"
    comment.refresh_from_db()
    assert comment.reply == "谢谢关心"


def test_people_without_the_comment_actions_see_no_buttons_and_outsiders_nothing(
    world, comments, client_for
):
    page = client_for(world["auditor"]).get(URL).content.decode()
    assert 'data-testid="thread"' in page and 'data-testid="elect"' not in page
    assert client_for(world["unit_officer"]).get(URL).status_code in (403, 404)


def test_a_published_push_is_watched_for_comments(world, wechat):
    from zhengwei.newsroom.tests.test_mass_send_failure import sent_push

    wechat.route("/cgi-bin/draft/add", {"media_id": "DRAFT_1"})
    wechat.route(
        "/cgi-bin/message/mass/sendall",
        {"errcode": 0, "msg_id": 1000000001, "msg_data_id": MSG_DATA_ID},
    )
    sent_push(world, titles=("头条", "次条"))
    threads = CommentThread.objects.filter(account=world.account).order_by("index")
    assert [(t.msg_data_id, t.index, t.title) for t in threads] == [
        (MSG_DATA_ID, 0, "头条"),
        (MSG_DATA_ID, 1, "次条"),
    ]
