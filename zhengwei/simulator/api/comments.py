"""Comment management (brief wechat.md §3.8). Articles are addressed by ``msg_data_id`` and a
0-based ``index``; WeChat pushes no event for new comments, so the platform must poll ``list``
(``count`` ≥ 50 is refused). Citizens write comments on the simulator's article pages."""

from __future__ import annotations

from zhengwei.simulator.api import Call, endpoint, ok
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import SimArticle, SimComment


def _article(call: Call) -> SimArticle:
    msg_data_id = call.field("msg_data_id", int)
    index = call.field("index", int, required=False, default=0)
    article = SimArticle.objects.filter(
        account=call.account,
        msg_data_id=msg_data_id,
        idx=index + 1,
        deleted=False,
        visible_at__lte=call.now,
    ).first()
    if article is None:
        raise ApiError(88001)
    return article


def _comment(call: Call) -> SimComment:
    article = _article(call)
    comment = SimComment.objects.filter(
        article=article, user_comment_id=call.field("user_comment_id", int), deleted=False
    ).first()
    if comment is None:
        raise ApiError(88008)
    return comment


@endpoint("cgi-bin/comment/open", privilege="comment", denied=88000)
def comment_open(call: Call):
    article = _article(call)
    article.comment_open = True
    article.save(update_fields=["comment_open"])
    return ok()


@endpoint("cgi-bin/comment/close", privilege="comment", denied=88000)
def comment_close(call: Call):
    article = _article(call)
    article.comment_open = False
    article.save(update_fields=["comment_open"])
    return ok()


@endpoint("cgi-bin/comment/list", privilege="comment", denied=88000)
def comment_list(call: Call):
    article = _article(call)
    begin = call.field("begin", int)
    count = call.field("count", int)
    kind = call.field("type", int, required=False, default=0)
    if not 1 <= count <= call.limits["comments"]["list_count_max"] or begin < 0:
        raise ApiError(88010)
    if kind not in (0, 1, 2):
        raise ApiError(40035, "type must be 0, 1 or 2")
    rows = SimComment.objects.filter(article=article, deleted=False)
    if kind == 1:
        rows = rows.filter(elected=False)
    elif kind == 2:
        rows = rows.filter(elected=True)
    comments = []
    for c in rows[begin : begin + count]:
        item = {
            "user_comment_id": c.user_comment_id,
            "openid": c.openid,
            "create_time": int(c.created_at.timestamp()),
            "content": c.content,
            "comment_type": 1 if c.elected else 0,
        }
        if c.reply_time:
            item["reply"] = {
                "content": c.reply_content,
                "create_time": int(c.reply_time.timestamp()),
            }
        comments.append(item)
    return ok(total=rows.count(), comment=comments)


@endpoint("cgi-bin/comment/markelect", privilege="comment", denied=88000)
def markelect(call: Call):
    comment = _comment(call)
    elected = SimComment.objects.filter(article=comment.article, elected=True).count()
    if not comment.elected and elected >= call.limits["comments"]["elect_max"]:
        raise ApiError(88003)
    comment.elected = True
    comment.save(update_fields=["elected"])
    return ok()


@endpoint("cgi-bin/comment/unmarkelect", privilege="comment", denied=88000)
def unmarkelect(call: Call):
    comment = _comment(call)
    comment.elected = False
    comment.save(update_fields=["elected"])
    return ok()


@endpoint("cgi-bin/comment/delete", privilege="comment", denied=88000)
def delete(call: Call):
    comment = _comment(call)
    comment.deleted = True
    comment.save(update_fields=["deleted"])
    return ok()


@endpoint("cgi-bin/comment/reply/add", privilege="comment", denied=88000)
def reply_add(call: Call):
    comment = _comment(call)
    content = call.field("content")
    if not content.strip() or len(content) > call.limits["comments"]["reply_max_chars"]:
        raise ApiError(88007)
    if comment.reply_time:
        raise ApiError(88005)
    comment.reply_content = content
    comment.reply_time = call.now
    comment.save(update_fields=["reply_content", "reply_time"])
    return ok()


@endpoint("cgi-bin/comment/reply/delete", privilege="comment", denied=88000)
def reply_delete(call: Call):
    comment = _comment(call)
    comment.reply_content = ""
    comment.reply_time = None
    comment.save(update_fields=["reply_content", "reply_time"])
    return ok()
