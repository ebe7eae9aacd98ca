"""What the performance app hears: WeChat's "publish finished" and "mass send finished" events
become Publication rows (the source of "days since the last post")."""

from __future__ import annotations

import logging

from django.utils import timezone

from zhengwei.lib.events import subscribe
from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance.models import PublicationKind, PublicationSource
from zhengwei.performance.services import publication_record

log = logging.getLogger(__name__)


def _account(account_id) -> WeChatAccount | None:
    return WeChatAccount.objects.filter(pk=account_id).first()


def on_publish_finished(
    *, event, account_id, publish_id="", publish_status=None, payload=None, **_
):
    account = _account(account_id)
    if account is None:
        return
    articles = (payload or {}).get("article_detail") or {}
    count = int(articles.get("count") or 1) if isinstance(articles, dict) else 1
    publication_record(
        account=account,
        published_at=timezone.now(),
        kind=PublicationKind.PUBLISH,
        article_count=max(1, count),
        source=PublicationSource.WECHAT,
        ref=f"publish:{publish_id}",
        ok=publish_status == 0,
    )


def on_masssend_finished(*, event, account_id, msg_id="", status="", payload=None, **_):
    account = _account(account_id)
    if account is None:
        return
    payload = payload or {}
    publication_record(
        account=account,
        published_at=timezone.now(),
        kind=PublicationKind.PUSH,
        article_count=1,
        original_count=0,
        source=PublicationSource.WECHAT,
        ref=f"mass:{msg_id}",
        ok=str(status).startswith("send success"),
    )


def connect() -> None:
    subscribe("wechat.publish_finished", on_publish_finished)
    subscribe("wechat.masssend_finished", on_masssend_finished)
