"""What the performance app hears: WeChat's "publish finished" and "mass send finished" events
become Publication rows (the source of "days since the last post"); a change to a message or a
report of a closed month marks that month's kept figures stale."""

from __future__ import annotations

import logging

from django.utils import timezone

from zhengwei.interactions import aggregates as conversations
from zhengwei.lib.events import subscribe
from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance.models import PublicationKind, PublicationSource
from zhengwei.performance.services import month_figures_mark_stale, publication_record
from zhengwei.reports import aggregates as reports

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


def on_conversation_changed(*, event, conversation_id=None, account_id=None, **_):
    """A message answered, resolved, reopened or fetched late: its month's kept figures (if the
    month is closed and kept) no longer hold."""
    at = conversations.received_at(conversation_id) if conversation_id else None
    if at is not None and account_id:
        month_figures_mark_stale(account_id=account_id, at=at)


def on_report_step(*, event, report_id=None, account_id=None, **_):
    at = reports.received_at(report_id) if report_id else None
    if at is not None and account_id:
        month_figures_mark_stale(account_id=account_id, at=at)


CONVERSATION_EVENTS = (
    "conversation.received",
    "conversation.classified",
    "conversation.replied",
    "conversation.resolved",
    "conversation.reopened",
    "conversation.escalated",
    "conversation.converted",
)


def connect() -> None:
    subscribe("wechat.publish_finished", on_publish_finished)
    subscribe("wechat.masssend_finished", on_masssend_finished)
    for event in CONVERSATION_EVENTS:
        subscribe(event, on_conversation_changed)
    subscribe("report.step_added", on_report_step)
