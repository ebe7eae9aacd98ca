"""Listeners on domain events (subscribed in InteractionsConfig.ready).

They run after the publisher's transaction committed, in the same process. Each calls a service
or enqueues a task; a failure is logged by zhengwei.lib.events and does not disturb the publisher.
"""

from __future__ import annotations

from zhengwei.interactions import services, tasks
from zhengwei.lib.events import subscribe
from zhengwei.orgs.models import WeChatAccount


def on_report_step(*, event: str, step_id: int, has_public_note: bool = True, **payload) -> None:
    services.citizen_notify_step(step_id=step_id)


def on_report_merged(
    *,
    event: str,
    parent_id: int,
    merged_ids=(),
    notify_report_ids=(),
    **payload,
) -> None:
    """Merged reports get their own duplicate step (and message); reports that followed an earlier
    merge to the new parent get none, so they are told here."""
    followers = set(notify_report_ids) - set(merged_ids) - {parent_id}
    if followers:
        services.citizen_notify_merged(report_ids=sorted(followers), parent_id=parent_id)


def on_report_received(*, event: str, report_id: int, channel: str = "", **payload) -> None:
    """A report filed by any channel other than the chat draft itself closes the citizen's draft
    (a chat confirmation has already closed its own)."""
    services.chat_drafts_close_for_report(report_id=report_id)


def on_comments(*, event: str, account_id: int, user_comment_ids=(), **payload) -> None:
    account = WeChatAccount.objects.filter(pk=account_id).first()
    if account is not None:
        services.conversation_receive_comments(account=account, user_comment_ids=user_comment_ids)


def on_photos_pending(*, event: str, draft_id: int, **payload) -> None:
    """A confirmed draft's photos are downloaded by a task, outside the citizen's request."""
    tasks.chat_photos_attach.enqueue(draft_id)


def connect() -> None:
    subscribe("report.step_added", on_report_step)
    subscribe("report.merged", on_report_merged)
    subscribe("report.received", on_report_received)
    subscribe("wechat_comment.received", on_comments)
    subscribe("chat_draft.photos_pending", on_photos_pending)
