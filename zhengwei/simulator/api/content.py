"""Draft box and publishing (brief wechat.md §3.4). ``freepublish/submit`` answers at once with
publish_id + msg_data_id; the job finishes ``publish.delay_seconds`` later, when the
PUBLISHJOBFINISH event (FromUserName ``mphelper``) is delivered to the account's callback.
Publishing pushes nothing to followers' phones."""

from __future__ import annotations

from datetime import timedelta

from zhengwei.lib.wxxml import build_message_xml
from zhengwei.simulator import deliveries
from zhengwei.simulator.api import Call, endpoint, ok
from zhengwei.simulator.articles import (
    article_urls,
    create_articles,
    news_item,
    validate_article,
    validate_articles,
)
from zhengwei.simulator.core import new_article_id, new_media_id, next_number, public_url
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import ArticleSource, SimArticle, SimDraft, SimPublish
from zhengwei.simulator.phone import article_url


def _draft(call: Call, media_id=None) -> SimDraft:
    media_id = media_id if media_id is not None else call.field("media_id")
    draft = SimDraft.objects.filter(
        account=call.account, media_id=str(media_id), deleted=False, consumed_at__isnull=True
    ).first()
    if draft is None:
        raise ApiError(40007)
    return draft


def _page(call: Call) -> tuple[int, int, bool]:
    offset = call.field("offset", int, required=False, default=0)
    count = call.field("count", int, required=False, default=20)
    no_content = call.field("no_content", int, required=False, default=0) == 1
    if offset < 0 or not 1 <= count <= call.limits["draft"]["batch_count_max"]:
        raise ApiError(40035, "count must be 1..20")
    return offset, count, no_content


def _strip(items: list[dict], no_content: bool) -> list[dict]:
    if no_content:
        return [{k: v for k, v in item.items() if k != "content"} for item in items]
    return items


# ---------------------------------------------------------------------------- draft


@endpoint("cgi-bin/draft/add", privilege="draft")
def draft_add(call: Call):
    articles = validate_articles(call.account, call.field("articles", list))
    draft = SimDraft.objects.create(
        account=call.account,
        media_id=new_media_id(),
        articles=articles,
        created_at=call.now,
        updated_at=call.now,
    )
    return {"media_id": draft.media_id}


@endpoint("cgi-bin/draft/update", privilege="draft")
def draft_update(call: Call):
    draft = _draft(call)
    index = call.field("index", int)
    # The key is "articles" although it holds one object (wechatpy PR #716).
    article = call.field("articles", dict)
    if not 0 <= index < len(draft.articles):
        raise ApiError(40035, "index out of range")
    articles = list(draft.articles)
    articles[index] = validate_article(call.account, article, single=len(articles) == 1)
    draft.articles = articles
    draft.updated_at = call.now
    draft.save(update_fields=["articles", "updated_at"])
    return ok()


@endpoint("cgi-bin/draft/delete", privilege="draft")
def draft_delete(call: Call):
    draft = _draft(call)
    draft.deleted = True
    draft.save(update_fields=["deleted"])
    return ok()


def _draft_items(call: Call, draft: SimDraft) -> list[dict]:
    return [
        news_item(call.account, a, url=public_url(f"draft/{draft.media_id}/{i}/"))
        for i, a in enumerate(draft.articles)
    ]


@endpoint("cgi-bin/draft/get", privilege="draft")
def draft_get(call: Call):
    draft = _draft(call)
    return {
        "news_item": _draft_items(call, draft),
        "create_time": int(draft.created_at.timestamp()),
        "update_time": int(draft.updated_at.timestamp()),
    }


@endpoint("cgi-bin/draft/batchget", privilege="draft")
def draft_batchget(call: Call):
    offset, count, no_content = _page(call)
    drafts = SimDraft.objects.filter(account=call.account, deleted=False, consumed_at__isnull=True)
    items = [
        {
            "media_id": d.media_id,
            "content": {
                "news_item": _strip(_draft_items(call, d), no_content),
                "create_time": int(d.created_at.timestamp()),
                "update_time": int(d.updated_at.timestamp()),
            },
            "update_time": int(d.updated_at.timestamp()),
        }
        for d in drafts[offset : offset + count]
    ]
    return {"total_count": drafts.count(), "item_count": len(items), "item": items}


@endpoint("cgi-bin/draft/count", methods=("GET", "POST"), privilege="draft")
def draft_count(call: Call):
    total = SimDraft.objects.filter(
        account=call.account, deleted=False, consumed_at__isnull=True
    ).count()
    return {"total_count": total}


# ---------------------------------------------------------------------------- freepublish


def publish_event_xml(publish: SimPublish, rows: list[SimArticle]) -> bytes:
    info: dict = {"publish_id": publish.publish_id, "publish_status": publish.final_status}
    if publish.final_status == 0:
        info["article_id"] = publish.article_id
        info["article_detail"] = {
            "count": len(rows),
            "item": [{"idx": r.idx, "article_url": article_url(r)} for r in rows],
        }
    else:
        info["fail_idx"] = list(publish.fail_idx)
    return build_message_xml(
        {
            "ToUserName": publish.account.original_id,
            "FromUserName": "mphelper",
            "CreateTime": int(publish.completes_at.timestamp()),
            "MsgType": "event",
            "Event": "PUBLISHJOBFINISH",
            "PublishEventInfo": info,
        }
    )


@endpoint("cgi-bin/freepublish/submit", privilege="publish")
def freepublish_submit(call: Call):
    account = call.account
    draft = _draft(call)
    conf = call.limits["publish"]
    marker = conf.get("fail_marker") or ""
    failed = [
        i for i, a in enumerate(draft.articles, start=1) if marker and marker in a.get("title", "")
    ]
    completes_at = call.now + timedelta(seconds=float(conf["delay_seconds"]))
    publish_id = next_number(account, "publish_id")
    publish = SimPublish.objects.create(
        account=account,
        publish_id=publish_id,
        msg_data_id=next_number(account, "msg_data_id"),
        article_id=f"failed-{publish_id}" if failed else new_article_id(),
        draft_media_id=draft.media_id,
        final_status=3 if failed else 0,
        fail_idx=failed,
        completes_at=completes_at,
        created_at=call.now,
    )
    rows: list[SimArticle] = []
    if not failed:
        rows = create_articles(
            account,
            msg_data_id=publish.msg_data_id,
            articles=draft.articles,
            source=ArticleSource.PUBLISH,
            article_id=publish.article_id,
            visible_at=completes_at,
        )
        # A published draft leaves the draft box.
        draft.consumed_at = call.now
        draft.save(update_fields=["consumed_at"])
    deliveries.enqueue(
        account, "PUBLISHJOBFINISH", publish_event_xml(publish, rows), conf["delay_seconds"]
    )
    return ok(publish_id=str(publish.publish_id), msg_data_id=publish.msg_data_id)


@endpoint("cgi-bin/freepublish/get", privilege="publish")
def freepublish_get(call: Call):
    publish = call.own(SimPublish, "publish_id")
    status = publish.status(call.now)
    result = {"publish_id": str(publish.publish_id), "publish_status": status}
    if status == 1:
        return result
    if publish.final_status == 0:
        rows = list(SimArticle.objects.filter(account=call.account, article_id=publish.article_id))
        result["article_id"] = publish.article_id
        result["article_detail"] = {
            "count": len(rows),
            "item": [
                {"idx": r.idx, "article_url": u}
                for r, u in zip(rows, article_urls(rows), strict=True)
            ],
        }
        result["fail_idx"] = []
    else:
        result["fail_idx"] = list(publish.fail_idx)
    return result


def _published_items(call: Call, article_id: str) -> list[dict]:
    rows = SimArticle.objects.filter(account=call.account, article_id=article_id).order_by("idx")
    return [
        news_item(
            call.account,
            {
                "title": r.title,
                "author": r.author,
                "digest": r.digest,
                "content": r.content,
                "content_source_url": r.content_source_url,
                "thumb_media_id": r.thumb_media_id,
                "need_open_comment": int(r.comment_open),
                "only_fans_can_comment": int(r.only_fans_can_comment),
            },
            url=article_url(r),
            is_deleted=r.deleted,
        )
        for r in rows
    ]


@endpoint("cgi-bin/freepublish/batchget", privilege="publish")
def freepublish_batchget(call: Call):
    offset, count, no_content = _page(call)
    done = SimPublish.objects.filter(
        account=call.account, final_status=0, deleted=False, completes_at__lte=call.now
    )
    items = [
        {
            "article_id": p.article_id,
            "content": {"news_item": _strip(_published_items(call, p.article_id), no_content)},
            "update_time": int(p.completes_at.timestamp()),
        }
        for p in done[offset : offset + count]
    ]
    return {"total_count": done.count(), "item_count": len(items), "item": items}


def _published(call: Call) -> SimPublish:
    article_id = call.field("article_id")
    publish = SimPublish.objects.filter(
        account=call.account, article_id=article_id, final_status=0, completes_at__lte=call.now
    ).first()
    if publish is None:
        raise ApiError(53600)
    return publish


@endpoint("cgi-bin/freepublish/getarticle", privilege="publish")
def freepublish_getarticle(call: Call):
    publish = _published(call)
    return {"news_item": _published_items(call, publish.article_id)}


@endpoint("cgi-bin/freepublish/delete", privilege="publish")
def freepublish_delete(call: Call):
    publish = _published(call)
    index = call.field("index", int, required=False, default=0)
    rows = SimArticle.objects.filter(account=call.account, article_id=publish.article_id)
    if index:
        if not rows.filter(idx=index).exists():
            raise ApiError(40035, "index out of range")
        rows = rows.filter(idx=index)
    rows.update(deleted=True)
    left = SimArticle.objects.filter(
        account=call.account, article_id=publish.article_id, deleted=False
    )
    if not left.exists():
        publish.deleted = True
        publish.save(update_fields=["deleted"])
    return ok()
