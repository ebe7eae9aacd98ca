"""What a citizen's phone shows: bubbles recorded as SimPhoneItem with a display payload.

Payload shapes (``msgtype``): ``text`` {text}; ``image`` {image_url}; ``voice`` {text}
(recognition); ``location`` {lat, lng, label}; ``event`` {event, label}; ``news`` / ``mpnews``
{articles: [{title, description, url, picurl}]}; ``video`` / ``music`` {title}; ``notice``
{code, detail} (a WeChat client notice such as 「该公众号暂时无法提供服务」).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhengwei.simulator.core import public_url
from zhengwei.simulator.models import (
    Direction,
    ItemSource,
    SimAccount,
    SimArticle,
    SimDraft,
    SimMedia,
    SimPhoneItem,
)

UNAVAILABLE = "unavailable"  # 该公众号暂时无法提供服务，请稍后再试


def record(
    account: SimAccount,
    openid: str,
    direction: str,
    source: str,
    payload: dict[str, Any],
    *,
    visible_at=None,
) -> SimPhoneItem:
    now = timezone.now()
    return SimPhoneItem.objects.create(
        account=account,
        openid=openid,
        direction=direction,
        source=source,
        payload=payload,
        created_at=now,
        visible_at=visible_at or now,
    )


def notice(account: SimAccount, openid: str, code: str, detail: str = "") -> SimPhoneItem:
    return record(
        account,
        openid,
        Direction.DOWN,
        ItemSource.SYSTEM,
        {"msgtype": "notice", "code": code, "detail": detail[:300]},
    )


def media_url(account: SimAccount, media_id: str | None) -> str:
    if not media_id:
        return ""
    media = SimMedia.objects.filter(account=account, media_id=media_id).first()
    if media is None or not media.is_alive():
        return ""
    return public_url(f"media/{media.media_id}")


def article_url(article: SimArticle) -> str:
    return public_url(f"article/{article.msg_data_id}/{article.idx}/")


def upstream_payload(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The citizen's own bubble for a message or event the phone sends (None: not shown)."""
    msg_type = fields.get("MsgType")
    if msg_type == "text":
        return {"msgtype": "text", "text": fields.get("Content", "")}
    if msg_type == "image":
        return {"msgtype": "image", "image_url": fields.get("PicUrl", "")}
    if msg_type == "voice":
        return {"msgtype": "voice", "text": fields.get("Recognition", "")}
    if msg_type == "location":
        return {
            "msgtype": "location",
            "lat": fields.get("Location_X"),
            "lng": fields.get("Location_Y"),
            "label": fields.get("Label", ""),
        }
    if msg_type == "link":
        return {"msgtype": "text", "text": f"{fields.get('Title', '')} {fields.get('Url', '')}"}
    if msg_type == "event":
        event = str(fields.get("Event", ""))
        return {"msgtype": "event", "event": event, "label": fields.get("_label", "")}
    return None


def reply_payload(account: SimAccount, msg: dict[str, Any]) -> dict[str, Any] | None:
    """A passive reply (decrypted XML fields) as a bubble."""
    msg_type = msg.get("MsgType")
    if msg_type == "text":
        return {"msgtype": "text", "text": msg.get("Content", "")}
    if msg_type == "image":
        return {"msgtype": "image", "image_url": media_url(account, msg["Image"].get("MediaId"))}
    if msg_type == "voice":
        return {"msgtype": "voice", "text": ""}
    if msg_type in {"video", "music"}:
        box = msg.get(msg_type.capitalize()) or {}
        return {"msgtype": msg_type, "title": box.get("Title", "") if isinstance(box, dict) else ""}
    if msg_type == "news":
        return {
            "msgtype": "news",
            "articles": [
                {
                    "title": a.get("Title", ""),
                    "description": a.get("Description", ""),
                    "url": a.get("Url", ""),
                    "picurl": a.get("PicUrl", ""),
                }
                for a in msg.get("Articles") or []
                if isinstance(a, dict)
            ],
        }
    return None  # transfer_customer_service: nothing visible


def draft_articles_payload(account: SimAccount, articles: list[dict], urls: list[str]) -> dict:
    return {
        "msgtype": "mpnews",
        "articles": [
            {
                "title": a.get("title", ""),
                "description": a.get("digest", ""),
                "url": url,
                "picurl": media_url(account, a.get("thumb_media_id")),
            }
            for a, url in zip(articles, urls, strict=False)
        ],
    }


def custom_payload(account: SimAccount, body: dict[str, Any]) -> dict[str, Any]:
    """A customer-service message (already validated) as a bubble."""
    msgtype = body["msgtype"]
    inner = body.get(msgtype) or {}
    if msgtype == "text":
        return {"msgtype": "text", "text": inner.get("content", "")}
    if msgtype == "image":
        return {"msgtype": "image", "image_url": media_url(account, inner.get("media_id"))}
    if msgtype == "news":
        return {
            "msgtype": "news",
            "articles": [
                {
                    "title": a.get("title", ""),
                    "description": a.get("description", ""),
                    "url": a.get("url", ""),
                    "picurl": a.get("picurl", ""),
                }
                for a in inner.get("articles") or []
            ],
        }
    if msgtype == "mpnews":
        draft = SimDraft.objects.filter(account=account, media_id=inner.get("media_id")).first()
        articles = (draft.articles if draft else [])[:1]
        return draft_articles_payload(account, articles, [""] * len(articles))
    if msgtype == "mpnewsarticle":
        art = SimArticle.objects.filter(account=account, article_id=inner.get("article_id")).first()
        if art is None:
            return {"msgtype": "text", "text": ""}
        return {
            "msgtype": "mpnews",
            "articles": [
                {
                    "title": art.title,
                    "description": art.digest,
                    "url": article_url(art),
                    "picurl": media_url(account, art.thumb_media_id),
                }
            ],
        }
    if msgtype in {"video", "music"}:
        return {"msgtype": msgtype, "title": inner.get("title", "")}
    if msgtype == "voice":
        return {"msgtype": "voice", "text": ""}
    if msgtype == "msgmenu":
        lines = [inner.get("head_content", "")]
        lines += [f"· {m.get('content', '')}" for m in inner.get("list") or []]
        lines.append(inner.get("tail_content", ""))
        return {"msgtype": "text", "text": "\n".join(x for x in lines if x)}
    return {"msgtype": "text", "text": f"[{msgtype}]"}


def thread(account: SimAccount, openid: str, limit: int = 200):
    now = timezone.now()
    items = SimPhoneItem.objects.filter(account=account, openid=openid, visible_at__lte=now)
    return list(reversed(items.order_by("-visible_at", "-id")[:limit]))


def fingerprint(account: SimAccount, openid: str) -> str:
    """Changes whenever the visible thread changes (the page polls with it)."""
    now = timezone.now()
    items = SimPhoneItem.objects.filter(account=account, openid=openid, visible_at__lte=now)
    last = items.order_by("-id").values_list("id", flat=True).first() or 0
    return f"{items.count()}-{last}"
