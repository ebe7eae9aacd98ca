"""Background work of citizen interaction. Thin wrappers: load, call the service, return counts."""

from __future__ import annotations

from django_tasks import task

from zhengwei.interactions import services


@task(queue_name="wechat")
def chat_photos_attach(draft_id: int) -> int:
    """Download a confirmed chat draft's photos from WeChat and add them to its report."""
    return services.chat_draft_attach_photos(draft_id=draft_id)
