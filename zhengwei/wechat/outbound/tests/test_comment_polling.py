import pytest

from zhengwei.audit.models import AuditEntry
from zhengwei.lib import events
from zhengwei.wechat.outbound import services, tokens
from zhengwei.wechat.outbound.models import Comment, CommentThread

pytestmark = pytest.mark.django_db
LIST = "/cgi-bin/comment/list"
MSG_DATA_ID = 2247503052


def _comment(i, reply=None):
    item = {
        "user_comment_id": i,
        "openid": f"oReader{i:020d}",
        "create_time": 1500000000 + i,
        "content": f"第{i}条留言：请问明天还有暴雨吗？",
        "comment_type": 1 if i == 1 else 0,
    }
    if reply:
        item["reply"] = {"content": reply, "create_time": 1500009999}
    return item


def _serve(fake, comments):
    def page(request):
        begin, count = request.json["begin"], request.json["count"]
        assert count < 50
        return {"errcode": 0, "total": len(comments), "comment": comments[begin : begin + count]}

    fake.route(LIST, page)


@pytest.fixture
def watched(world, fake):
    tokens.get_token(world.account)
    return services.comment_thread_watch(
        actor=world["operator"], account=world.account, msg_data_id=MSG_DATA_ID, title="台风防御"
    )


def test_polling_pages_through_all_comments_below_fifty_at_a_time(world, fake, watched):
    _serve(fake, [_comment(i) for i in range(1, 121)])
    assert services.comments_poll(account=world.account) == 120
    assert Comment.objects.count() == 120
    assert [r.json["begin"] for r in fake.requests_to(LIST)] == [0, 49, 98]
    assert Comment.objects.get(user_comment_id=1).elected


def test_polling_twice_stores_nothing_twice_and_picks_up_changes(world, fake, watched):
    _serve(fake, [_comment(1), _comment(2)])
    services.comments_poll(account=world.account)
    _serve(fake, [_comment(1), _comment(2, reply="明天有中到大雨，请注意防范。"), _comment(3)])
    assert services.comments_poll(account=world.account) == 1
    assert Comment.objects.count() == 3
    assert Comment.objects.get(user_comment_id=2).reply == "明天有中到大雨，请注意防范。"
    assert CommentThread.objects.get().total == 3


def test_new_comments_are_announced_once(world, fake, watched, django_capture_on_commit_callbacks):
    seen = []
    listener = lambda event, **payload: seen.append(payload["user_comment_ids"])  # noqa: E731
    events.subscribe("wechat_comment.received", listener)
    try:
        _serve(fake, [_comment(1)])
        with django_capture_on_commit_callbacks(execute=True):
            services.comments_poll(account=world.account)
            services.comments_poll(account=world.account)
    finally:
        events._listeners["wechat_comment.received"].remove(listener)
    assert seen == [[1]]


def test_replying_calls_wechat_and_is_audited(world, fake, watched):
    _serve(fake, [_comment(7)])
    services.comments_poll(account=world.account)
    comment = Comment.objects.get()
    services.comment_reply(actor=world["operator"], comment=comment, content="感谢关注！")
    [request] = fake.requests_to("/cgi-bin/comment/reply/add")
    assert request.json == {
        "msg_data_id": MSG_DATA_ID,
        "index": 0,
        "user_comment_id": 7,
        "content": "感谢关注！",
    }
    comment.refresh_from_db()
    assert comment.reply == "感谢关注！"
    assert AuditEntry.objects.filter(action="comment.reply", actor=world["operator"]).exists()


def test_a_thread_without_comment_privilege_is_skipped(world, fake, watched):
    fake.route(LIST, {"errcode": 88000, "errmsg": "without comment privilege"})
    assert services.comments_poll(account=world.account) == 0
