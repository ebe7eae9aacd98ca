"""What the newsroom hears from the layers below (subscribed from NewsroomConfig.ready)."""

from __future__ import annotations

from zhengwei.lib.events import subscribe
from zhengwei.newsroom import services, tasks


def on_publish_finished(
    *, event: str, account_id: int, publish_id: str = "", publish_status=None, payload=None, **_
) -> None:
    """PUBLISHJOBFINISH: the push it belongs to is published (with its URLs) or failed."""
    if publish_id:
        services.push_finish(
            account_id=account_id,
            publish_id=publish_id,
            status=publish_status,
            payload=payload or {},
        )


def on_masssend_finished(
    *, event: str, account_id: int, msg_id: str = "", status="", payload=None, **_
) -> None:
    """MASSSENDJOBFINISH: the mass send went out (article URLs) or WeChat did not send it."""
    if msg_id:
        services.push_masssend_finish(
            account_id=account_id,
            msg_id=str(msg_id),
            status=str(status or ""),
            payload=payload or {},
        )


def on_article_offered(*, event: str, article_id: int, images: int = 0, **_) -> None:
    """Offered images go to WeChat at once, outside the offer's transaction."""
    if images:
        tasks.offered_images_upload.enqueue(article_id)


subscribe("wechat.publish_finished", on_publish_finished)
subscribe("article.offered", on_article_offered)
subscribe("wechat.masssend_finished", on_masssend_finished)
