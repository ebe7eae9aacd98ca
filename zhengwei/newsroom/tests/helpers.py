"""Shared helpers for the newsroom tests."""

from __future__ import annotations

from zhengwei.newsroom import services
from zhengwei.newsroom.models import NewsImage

BODY = "<p>今天全省启动防汛Ⅳ级应急响应。</p><p>请市民注意防范。</p>"


def cover(account) -> NewsImage:
    image, _ = NewsImage.objects.get_or_create(
        account=account,
        sha256=f"{account.pk:064d}",
        defaults={
            "file": "newsroom/cover.jpg",
            "content_type": "image/jpeg",
            "media_id": "COVER_MEDIA",
        },
    )
    return image


def draft(world, *, title="防汛Ⅳ级应急响应启动", body=BODY, with_cover=True, **extra):
    article = services.article_create(
        actor=world["writer"], account=world.account, title=title, body_html=body, **extra
    )
    if with_cover:
        services.article_save(actor=world["writer"], article=article, cover=cover(world.account))
    article.refresh_from_db()
    return article


def pending(article):
    return article.steps.get(state="pending")


def approve_all(world, article):
    """初审 (editor) → 复审 (office reviewer) → 终审 (office leader)."""
    for role in ("editor", "office_reviewer", "office_leader"):
        article.refresh_from_db()
        services.review_approve(actor=world[role], step=pending(article))
    article.refresh_from_db()
    return article
