"""Draft articles: validation as ``draft/add`` applies it, and the article pages they become."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils.html import strip_tags

from zhengwei.simulator.core import public_base
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.limits import limits
from zhengwei.simulator.models import SimAccount, SimArticle, SimMedia
from zhengwei.simulator.phone import article_url, media_url

_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.I | re.S)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r"""\b(?:data-)?src\s*=\s*["']([^"']*)["']""", re.I)
_EMBED = re.compile(r"<(iframe|object|embed|style|form)\b.*?(</\1\s*>|/?>)", re.I | re.S)
_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_JS_URL = re.compile(r"""(href|src)\s*=\s*(["'])\s*javascript:[^"']*\2""", re.I)


def clean_content(html: str) -> str:
    """What WeChat keeps of a body: no scripts, event handlers or embeds, and only images
    uploaded with media/uploadimg (external image URLs are stripped)."""
    html = _SCRIPT.sub("", html)
    html = _EMBED.sub("", html)
    html = _HANDLER.sub("", html)
    html = _JS_URL.sub(r"\1=\2#\2", html)
    own = public_base() + "media/"

    def keep(match: re.Match) -> str:
        src = _SRC.search(match.group(0))
        return match.group(0) if src and src.group(1).startswith(own) else ""

    return _IMG.sub(keep, html)


def _flag(value: Any) -> int:
    return 1 if value in (1, "1", True) else 0


def _permanent_image(account: SimAccount, media_id: Any) -> bool:
    return SimMedia.objects.filter(
        account=account,
        media_id=str(media_id or "-"),
        permanent=True,
        deleted=False,
        kind__in=["image", "thumb"],
    ).exists()


def validate_article(account: SimAccount, article: Any, *, single: bool) -> dict[str, Any]:
    conf = limits()["draft"]
    if not isinstance(article, dict):
        raise ApiError(47001, "an article must be an object")
    article_type = article.get("article_type") or "news"
    if article_type not in {"news", "newspic"}:
        raise ApiError(40035, "article_type")
    title = str(article.get("title") or "")
    if not title or len(title) > conf["title_chars"]:
        raise ApiError(45003)
    author = str(article.get("author") or "")
    if len(author) > conf["author_chars"]:
        raise ApiError(45110)
    digest = str(article.get("digest") or "")
    if len(digest) > conf["digest_chars"]:
        raise ApiError(45004)
    content = article.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ApiError(45002, "content is required")
    if len(content) >= conf["content_chars"] or len(content.encode()) >= conf["content_bytes"]:
        raise ApiError(45002)
    source_url = str(article.get("content_source_url") or "")
    if len(source_url.encode()) > conf["source_url_bytes"]:
        raise ApiError(45005)
    thumb = article.get("thumb_media_id") or ""
    image_info = article.get("image_info") or {}
    if article_type == "news":
        if not _permanent_image(account, thumb):
            raise ApiError(40007, "thumb_media_id must be permanent image material")
    else:
        images = image_info.get("image_list") if isinstance(image_info, dict) else None
        if not isinstance(images, list) or not images:
            raise ApiError(40035, "newspic needs image_info.image_list")
        for image in images:
            if not isinstance(image, dict) or not _permanent_image(
                account, image.get("image_media_id")
            ):
                raise ApiError(40007, "image_media_id must be permanent image material")
        if thumb and not _permanent_image(account, thumb):
            raise ApiError(40007)
    content = clean_content(content)
    if not single:
        digest = ""  # only single-article drafts have a digest
    elif not digest:
        digest = strip_tags(content).strip()[: conf["digest_default_chars"]]
    cleaned = {
        "article_type": article_type,
        "title": title,
        "author": author,
        "digest": digest,
        "content": content,
        "content_source_url": source_url,
        "thumb_media_id": thumb,
        "need_open_comment": _flag(article.get("need_open_comment")),
        "only_fans_can_comment": _flag(article.get("only_fans_can_comment")),
    }
    for crop in ("pic_crop_235_1", "pic_crop_1_1"):
        if article.get(crop):
            cleaned[crop] = str(article[crop])
    if article_type == "newspic":
        cleaned["image_info"] = image_info
    return cleaned


def validate_articles(account: SimAccount, articles: Any) -> list[dict[str, Any]]:
    conf = limits()["draft"]
    if not isinstance(articles, list) or not articles:
        raise ApiError(47001, "articles must be a non-empty list")
    if len(articles) > conf["max_articles"]:
        raise ApiError(45008)
    single = len(articles) == 1
    return [validate_article(account, a, single=single) for a in articles]


def news_item(account: SimAccount, article: dict[str, Any], url: str = "", **extra) -> dict:
    """An article as draft/get and freepublish/getarticle return it."""
    return {
        **article,
        "show_cover_pic": 0,
        "thumb_url": media_url(account, article.get("thumb_media_id")),
        "url": url,
        **extra,
    }


def create_articles(
    account: SimAccount,
    *,
    msg_data_id: int,
    articles: list[dict[str, Any]],
    source: str,
    article_id: str = "",
    visible_at: datetime,
) -> list[SimArticle]:
    rows = []
    for idx, art in enumerate(articles, start=1):
        rows.append(
            SimArticle.objects.create(
                account=account,
                msg_data_id=msg_data_id,
                idx=idx,
                source=source,
                article_id=article_id,
                title=art["title"],
                author=art.get("author", ""),
                digest=art.get("digest", ""),
                content=art.get("content", ""),
                content_source_url=art.get("content_source_url", ""),
                thumb_media_id=art.get("thumb_media_id", ""),
                comment_open=bool(art.get("need_open_comment")),
                only_fans_can_comment=bool(art.get("only_fans_can_comment")),
                visible_at=visible_at,
                created_at=visible_at,
            )
        )
    return rows


def article_urls(rows: list[SimArticle]) -> list[str]:
    return [article_url(r) for r in rows]
