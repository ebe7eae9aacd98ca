"""What the newsroom hears from the layers below (subscribed from NewsroomConfig.ready)."""

from __future__ import annotations

from zhengwei.lib.events import subscribe
from zhengwei.newsroom import services


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


subscribe("wechat.publish_finished", on_publish_finished)
