"""Background work of the newsroom (thin wrappers: load, call the service)."""

from __future__ import annotations

from django_tasks import task

from zhengwei.newsroom import services
from zhengwei.newsroom.models import Article


@task(queue_name="wechat")
def offered_images_upload(article_id: int) -> int:
    """Upload the images another app offered with an article (newsroom_tick retries)."""
    article = Article.objects.filter(pk=article_id).first()
    return services.article_images_upload(article=article) if article else 0
