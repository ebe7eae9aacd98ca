"""State changes that involve the WeChat API.

House pattern with one twist: the WeChat call happens *before* the transaction, not inside it.
A rollback cannot unsend a message, and a transaction held across a 10-second HTTP call would
block every SQLite writer meanwhile. So each service checks the policy, calls WeChat, and then,
in one transaction, stores the outcome, writes the audit entry and publishes its event on commit.
Refusals by WeChat are audited too (outcome "error"), then re-raised.

``actor=None`` marks the system (tasks, event handlers); only those paths pass it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record, snapshot
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.inbound.changes import content_change_applied, content_change_open
from zhengwei.wechat.inbound.models import ChangeKind, ChangeOp, ChangeState, ContentChange
from zhengwei.wechat.inbound.services import menu_button_names_record, require_approved
from zhengwei.wechat.outbound import limits, policy, windows
from zhengwei.wechat.outbound.client import WeChatClient, might_have_arrived
from zhengwei.wechat.outbound.errors import (
    CircuitOpen,
    OutsideServiceWindow,
    QuotaExceeded,
    RateLimited,
    ServiceQuotaExhausted,
    SystemBusy,
    TokenLockTimeout,
    WeChatError,
    WeChatNetworkError,
)
from zhengwei.wechat.outbound.models import (
    Comment,
    CommentThread,
    DatacubeRow,
    MenuSource,
    OutboundMessage,
    OutboundState,
    PublishedMenu,
)
from zhengwei.wechat.outbound.privileges import Capability, require_capability
from zhengwei.wechat.outbound.validation import validate_menu

log = logging.getLogger("zhengwei.wechat")
SYSTEM = "system"


def _call(actor, action: str, obj, fn: Callable, *args, **kwargs):
    """Run one WeChat call; a refusal is audited before it propagates."""
    try:
        return fn(*args, **kwargs)
    except WeChatError as exc:
        name = "" if actor else SYSTEM
        audit_record(
            actor=actor, action=action, obj=obj, outcome="error", note=str(exc), actor_name=name
        )
        raise


# --- menu ----------------------------------------------------------------------------------
def menu_publish(
    *, actor: User, account: WeChatAccount, menu: dict, change: ContentChange | None = None
) -> PublishedMenu:
    """Publish the custom menu (replacing the current one) and keep it as the current menu.
    A contractor member publishes only a menu the office approved (``change``)."""
    require(actor, policy.MENU_MANAGE, account)
    require_approved(actor, account, change)
    _call(actor, "wechat.menu.publish", account, WeChatClient(account).menu_create, menu)
    with transaction.atomic():
        record = PublishedMenu.objects.create(account=account, json=menu, published_by=actor)
        menu_button_names_record(account=account, menu=menu)
        note = f"change #{change.pk}" if change else ""
        audit_record(actor=actor, action="wechat.menu.publish", obj=account, after=menu, note=note)
        publish_on_commit("wechat_menu.published", account_id=account.pk)
    return record


def menu_change_submit(*, actor: User, account: WeChatAccount, menu: dict) -> ContentChange:
    """A menu for the office to approve; published when the last level approves it."""
    validate_menu(menu)
    current = PublishedMenu.objects.filter(account=account).first()
    return content_change_open(
        actor=actor,
        account=account,
        kind=ChangeKind.MENU,
        op=ChangeOp.PUBLISH,
        right=policy.MENU_MANAGE,
        payload=menu,
        before=current.json if current else {},
    )


def menu_change_apply(*, change_id: int) -> ContentChange | None:
    """Publish an approved menu (on ``content_change.approved``), as its drafter, and record
    whether it took effect. A refusal by WeChat leaves the change failed, with the reason."""
    change = ContentChange.objects.select_related("account", "drafted_by").get(pk=change_id)
    if change.kind != ChangeKind.MENU or change.state != ChangeState.APPROVED:
        return None
    try:
        menu_publish(
            actor=change.drafted_by, account=change.account, menu=change.payload, change=change
        )
    except (WeChatError, ValidationError, PermissionDenied) as exc:
        return content_change_applied(change=change, error=str(exc))
    return content_change_applied(change=change)


def menu_record(
    *,
    actor: User,
    account: WeChatAccount,
    menu: dict,
    source: str = MenuSource.RECORDED,
    change: ContentChange | None = None,
) -> PublishedMenu:
    """Keep ``menu`` as the current menu without calling WeChat: the menu already on the
    platform (the demo, an account taken over from another system). Validated like a publish."""
    require(actor, policy.MENU_MANAGE, account)
    require_approved(actor, account, change)
    validate_menu(menu)
    with transaction.atomic():
        record = PublishedMenu.objects.create(
            account=account, json=menu, published_by=actor, source=source
        )
        menu_button_names_record(account=account, menu=menu)
        audit_record(actor=actor, action="wechat.menu.record", obj=account, after=menu)
    return record


def menu_fetch(*, actor: User, account: WeChatAccount) -> PublishedMenu:
    """Read the live menu back from WeChat (menu/get) and keep it as the current menu."""
    require(actor, policy.MENU_MANAGE, account)
    answer = _call(actor, "wechat.menu.fetch", account, WeChatClient(account).menu_get)
    menu = {"button": [_menu_tidy(b) for b in (answer.get("menu") or {}).get("button") or []]}
    with transaction.atomic():
        record = PublishedMenu.objects.create(
            account=account, json=menu, published_by=actor, source=MenuSource.FETCHED
        )
        menu_button_names_record(account=account, menu=menu)
        audit_record(actor=actor, action="wechat.menu.fetch", obj=account, after=menu)
    return record


def _menu_tidy(button: dict) -> dict:
    """menu/get lists ``"sub_button": []`` on every leaf; menu/create refuses an empty list."""
    tidy = {k: v for k, v in button.items() if k != "sub_button"}
    if button.get("sub_button"):
        tidy["sub_button"] = [_menu_tidy(sub) for sub in button["sub_button"]]
    return tidy


def menu_remove(
    *, actor: User, account: WeChatAccount, change: ContentChange | None = None
) -> None:
    require(actor, policy.MENU_MANAGE, account)
    require_approved(actor, account, change)
    _call(actor, "wechat.menu.remove", account, WeChatClient(account).menu_delete)
    with transaction.atomic():
        audit_record(actor=actor, action="wechat.menu.remove", obj=account)
        publish_on_commit("wechat_menu.removed", account_id=account.pk)


# --- mass sending --------------------------------------------------------------------------
def mass_message_send(
    *,
    actor: User,
    account: WeChatAccount,
    msgtype: str,
    content: dict,
    tag_id: int | None = None,
    send_ignore_reprint: bool = False,
    clientmsgid: str = "",
    article_count: int = 1,
    title: str = "",
) -> dict:
    """Push to followers; an mpnews push also starts comment polling for its articles."""
    require(actor, policy.MASS_SEND, account)
    result = _call(
        actor,
        "wechat.mass_send",
        account,
        WeChatClient(account).mass_sendall,
        msgtype,
        content,
        tag_id=tag_id,
        send_ignore_reprint=send_ignore_reprint,
        clientmsgid=clientmsgid,
    )
    with transaction.atomic():
        if result.get("msg_data_id"):
            for index in range(article_count):
                _thread_watch(account, int(result["msg_data_id"]), index, title)
        audit_record(
            actor=actor,
            action="wechat.mass_send",
            obj=account,
            after={"msgtype": msgtype, "tag_id": tag_id, "clientmsgid": clientmsgid, **result},
        )
        publish_on_commit("mass_send.submitted", account_id=account.pk, msg_id=result.get("msg_id"))
    return result


# --- customer-service messages -------------------------------------------------------------
def customer_message_send(
    *,
    actor: User | None,
    account: WeChatAccount,
    openid: str,
    msgtype: str,
    content: dict,
    personal: bool = False,
    reference: str = "",
) -> OutboundMessage:
    """Queue a message to one citizen: sent now if their window is open, otherwise as soon as
    they write again (WeChat allows nothing else).

    ``actor=None`` is the platform itself: automatic notices (a ticket number, a state change)
    that follow from a step someone was already allowed to take.
    """
    if actor is not None:
        require(
            actor,
            policy.CUSTOMER_MESSAGE_SEND_PERSONAL if personal else policy.CUSTOMER_MESSAGE_SEND,
            account,
        )
    require_capability(account, Capability.CUSTOMER_SERVICE)
    if msgtype not in limits.get("customer_service")["msgtypes"]:
        raise ValidationError(_("Unknown message type %(type)s.") % {"type": msgtype})
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            account=account,
            openid=openid,
            msgtype=msgtype,
            body=content,
            personal=personal,
            reference=reference,
            created_by=actor,
            state=(
                OutboundState.QUEUED
                if windows.is_open(account, openid)
                else OutboundState.WAITING_WINDOW
            ),
        )
        audit_record(
            actor=actor,
            actor_name="" if actor is not None else "system",
            action="outbound_message.create",
            obj=message,
            after={"state": message.state, "msgtype": msgtype, "reference": reference},
        )
        publish_on_commit("outbound_message.created", message_id=message.pk)
        if message.state == OutboundState.QUEUED:
            _enqueue_delivery([message.pk])
    return message


def _enqueue_delivery(message_ids: list[int], *, delay: float = 0) -> None:
    # The tasks module imports this one; it enqueues the delivery on this event (apps.ready).
    publish_on_commit("outbound_message.queued", message_ids=list(message_ids), delay=delay)


# Failures after which the message certainly did not go out and may be tried again later.
_RETRY_LATER = (SystemBusy, RateLimited, TokenLockTimeout, CircuitOpen, QuotaExceeded)


def _due(now: datetime) -> Q:
    return Q(state=OutboundState.QUEUED) | Q(state=OutboundState.RETRYING, next_attempt_at__lte=now)


def retry_delay(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: doubling from outbound.retry_seconds, capped,
    with jitter so that messages held by one outage do not all return in the same second."""
    conf = limits.get("outbound")
    base = min(conf["retry_max_seconds"], conf["retry_seconds"] * 2 ** max(0, attempts - 1))
    return base * (0.5 + random.random() / 2)


def outbound_message_deliver(*, message_id: int) -> OutboundMessage | None:
    """Send one queued message (system). Claimed by a conditional UPDATE that marks it
    ``sending`` before the call, so two workers never send the same message, and a message that
    may have reached WeChat is never sent again by a retry (a person decides)."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(_due(now), pk=message_id).update(
        state=OutboundState.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    message = OutboundMessage.objects.select_related("account").get(pk=message_id)
    error: Exception | None = None
    try:
        WeChatClient(message.account).custom_send(message.openid, message.msgtype, message.body)
        outcome = OutboundState.SENT
    except (OutsideServiceWindow, ServiceQuotaExhausted) as exc:
        error, outcome = exc, OutboundState.WAITING_WINDOW
    except WeChatNetworkError as exc:
        # Not knowing whether it arrived, do not risk sending it twice: a person decides.
        error = exc
        outcome = OutboundState.FAILED if might_have_arrived(exc) else OutboundState.QUEUED
    except _RETRY_LATER as exc:
        error, outcome = exc, OutboundState.RETRYING
    except (WeChatError, ValidationError) as exc:
        error, outcome = exc, OutboundState.FAILED
    delay = None
    if outcome in (OutboundState.RETRYING, OutboundState.QUEUED):
        if message.attempts >= limits.get("outbound")["max_attempts"]:
            outcome = OutboundState.FAILED  # certainly never sent: a person may send it anew
        else:
            outcome, delay = OutboundState.RETRYING, retry_delay(message.attempts)
    with transaction.atomic():
        message.move_to(outcome)
        message.errcode = getattr(error, "errcode", None)
        message.last_error = str(error)[:300] if error else ""
        message.next_attempt_at = now + timedelta(seconds=delay) if delay is not None else None
        if outcome == OutboundState.SENT:
            message.sent_at = timezone.now()
        message.save()
        audit_record(
            action=f"outbound_message.{outcome}",
            obj=message,
            actor_name=SYSTEM,
            outcome="ok" if outcome == OutboundState.SENT else "error",
            note=message.last_error,
        )
        publish_on_commit(f"outbound_message.{outcome}", message_id=message.pk)
        if delay is not None:
            _enqueue_delivery([message.pk], delay=delay)
    return message


def outbound_messages_release(*, account_id: int, openid: str) -> list[int]:
    """The citizen wrote: queue what waited for their window, oldest first (system)."""
    waiting_filter = {
        "account_id": account_id,
        "openid": openid,
        "state": OutboundState.WAITING_WINDOW,
    }
    # Almost every inbound message finds nothing waiting: answer that with one indexed read,
    # not a locking transaction (this runs once per processed message).
    if not OutboundMessage.objects.filter(**waiting_filter).exists():
        return []
    with transaction.atomic():
        waiting = list(
            OutboundMessage.objects.select_for_update()
            .filter(**waiting_filter)
            .order_by("created_at", "pk")
        )
        for message in waiting:
            message.move_to(OutboundState.QUEUED)
            message.save(update_fields=["state", "updated_at"])
            audit_record(action="outbound_message.queued", obj=message, actor_name=SYSTEM)
        ids = [m.pk for m in waiting]
        if ids:
            _enqueue_delivery(ids)  # one task, so they go out in order
    return ids


def outbound_messages_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Retry what a worker left queued, and give up on windows that never reopened (system)."""
    now = now or timezone.now()
    conf = limits.get("outbound")
    stale = now - timedelta(seconds=conf["requeue_after_seconds"])
    queued = list(
        OutboundMessage.objects.filter(
            Q(state=OutboundState.QUEUED, updated_at__lt=stale)
            # A retry whose delayed task was lost (a worker restarted with an empty queue).
            | Q(state=OutboundState.RETRYING, next_attempt_at__lt=stale)
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    if queued:
        _enqueue_delivery(queued)
    failed = 0
    cutoff = now - timedelta(days=conf["wait_window_days"])
    given_up = OutboundMessage.objects.filter(
        Q(state=OutboundState.WAITING_WINDOW, created_at__lt=cutoff)
        # A worker that died mid-send: whether it arrived is unknown, so a person decides.
        | Q(state=OutboundState.SENDING, updated_at__lt=stale)
    )
    for message in given_up:
        with transaction.atomic():
            message.last_error = (
                "the citizen did not write again"
                if message.state == OutboundState.WAITING_WINDOW
                else "the worker stopped while sending; it may or may not have arrived"
            )
            message.move_to(OutboundState.FAILED)
            message.save()
            audit_record(
                action="outbound_message.failed", obj=message, actor_name=SYSTEM, outcome="error"
            )
            publish_on_commit("outbound_message.failed", message_id=message.pk)
        failed += 1
    return {"requeued": len(queued), "failed": failed}


# --- comments ------------------------------------------------------------------------------
def _thread_watch(account: WeChatAccount, msg_data_id: int, index: int, title: str):
    poll_until = timezone.now() + timedelta(days=limits.get("comments")["poll_days"])
    thread, _created = CommentThread.objects.update_or_create(
        account=account,
        msg_data_id=msg_data_id,
        index=index,
        defaults={"poll_until": poll_until, **({"title": title[:64]} if title else {})},
    )
    return thread


def comment_thread_watch(
    *,
    actor: User | None,
    account: WeChatAccount,
    msg_data_id: int,
    index: int = 0,
    title: str = "",
) -> CommentThread:
    """Start polling an article's comments (e.g. one published through freepublish).
    ``actor`` None: the system (the newsroom, as soon as one of its pushes is published)."""
    if actor is not None:
        require(actor, policy.COMMENT_MANAGE, account)
    with transaction.atomic():
        thread = _thread_watch(account, msg_data_id, index, title)
        audit_record(
            actor=actor,
            action="comment_thread.watch",
            obj=thread,
            actor_name="" if actor else SYSTEM,
        )
    return thread


def comment_thread_set_open(*, actor: User, thread: CommentThread, is_open: bool) -> None:
    require(actor, policy.COMMENT_MANAGE, thread)
    client = WeChatClient(thread.account)
    fn = client.comment_open if is_open else client.comment_close
    action = "comment_thread.open" if is_open else "comment_thread.close"
    _call(actor, action, thread, fn, thread.msg_data_id, thread.index)
    with transaction.atomic():
        thread.is_open = is_open
        thread.save(update_fields=["is_open"])
        audit_record(actor=actor, action=action, obj=thread)


def _comment_change(actor, comment: Comment, action: str, fn: Callable, *args, **fields) -> None:
    require(actor, policy.COMMENT_MANAGE, comment)
    _call(
        actor,
        action,
        comment,
        fn,
        comment.msg_data_id,
        comment.index,
        comment.user_comment_id,
        *args,
    )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(comment, name, value)
        comment.updated_at = timezone.now()
        comment.save()
        after = snapshot(comment, list(fields)) if fields else None
        audit_record(actor=actor, action=action, obj=comment, after=after)
        publish_on_commit(f"wechat_comment.{action.rsplit('.', 1)[1]}", comment_id=comment.pk)


def comment_reply(*, actor: User, comment: Comment, content: str) -> None:
    client = WeChatClient(comment.account)
    now = timezone.now()
    _comment_change(
        actor, comment, "comment.reply", client.comment_reply, content, reply=content, reply_at=now
    )


def comment_elect(*, actor: User, comment: Comment, elected: bool = True) -> None:
    client = WeChatClient(comment.account)
    fn = client.comment_markelect if elected else client.comment_unmarkelect
    _comment_change(
        actor, comment, "comment.elect" if elected else "comment.unelect", fn, elected=elected
    )


def comment_delete(*, actor: User, comment: Comment) -> None:
    client = WeChatClient(comment.account)
    _comment_change(actor, comment, "comment.delete", client.comment_delete, deleted=True)


def _aware(timestamp: Any) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def _comment_pages(client: WeChatClient, thread: CommentThread) -> Iterator[dict]:
    begin = 0
    while True:
        page = client.comment_list(thread.msg_data_id, thread.index, begin=begin)
        batch = page.get("comment") or []
        yield from batch
        begin += len(batch)
        if not batch or begin >= int(page.get("total", 0)):
            return


def comments_poll(*, account: WeChatAccount) -> int:
    """Fetch the comments of every watched article and upsert them (system). Polling twice
    stores nothing twice. Returns the number of new comments."""
    client = WeChatClient(account)
    new = 0
    for thread in CommentThread.objects.filter(account=account, poll_until__gt=timezone.now()):
        try:
            items = list(_comment_pages(client, thread))
        except WeChatError as exc:
            log.warning("comment polling failed for %s: %s", thread, exc)
            continue
        new += _comments_store(account, thread, items)
    return new


def _comments_store(account: WeChatAccount, thread: CommentThread, items: list[dict]) -> int:
    now = timezone.now()
    rows = [
        Comment(
            account=account,
            msg_data_id=thread.msg_data_id,
            index=thread.index,
            user_comment_id=int(item["user_comment_id"]),
            openid=item.get("openid", ""),
            content=item.get("content", ""),
            created=_aware(item.get("create_time")) or now,
            elected=int(item.get("comment_type", 0)) == 1,
            reply=(item.get("reply") or {}).get("content", ""),
            reply_at=_aware((item.get("reply") or {}).get("create_time")),
            updated_at=now,
        )
        for item in items
    ]
    with transaction.atomic():
        known = set(
            Comment.objects.filter(
                account=account,
                msg_data_id=thread.msg_data_id,
                index=thread.index,
                user_comment_id__in=[r.user_comment_id for r in rows],
            ).values_list("user_comment_id", flat=True)
        )
        Comment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["account", "msg_data_id", "index", "user_comment_id"],
            update_fields=["content", "elected", "reply", "reply_at", "updated_at"],
        )
        thread.last_polled_at = now
        thread.total = len(rows)
        thread.save(update_fields=["last_polled_at", "total"])
        new_ids = [r.user_comment_id for r in rows if r.user_comment_id not in known]
        if new_ids:
            audit_record(
                action="comment.fetch",
                obj=thread,
                actor_name=SYSTEM,
                note=f"{len(new_ids)} new comments",
            )
            publish_on_commit(
                "wechat_comment.received", account_id=account.pk, user_comment_ids=new_ids
            )
    return len(new_ids)


# --- statistics ----------------------------------------------------------------------------
_DATACUBE_KEYS = ("msgid", "user_source", "ref_hour", "share_scene", "publish_type")


def datacube_fetch(*, account: WeChatAccount, endpoint: str, begin: date, end: date) -> int:
    """Fetch one statistics interface for [begin, end] and upsert the rows (system)."""
    items = WeChatClient(account).datacube(endpoint, begin, end)
    now = timezone.now()
    rows: dict[tuple, DatacubeRow] = {}
    for item in items:
        ref_date = date.fromisoformat(str(item.get("ref_date") or begin.isoformat())[:10])
        key = "|".join(f"{k}={item[k]}" for k in _DATACUBE_KEYS if k in item)[:120]
        n, unique = 1, key
        while (ref_date, unique) in rows:  # same day, no distinguishing field: keep the order
            n, unique = n + 1, f"{key}#{n + 1}"
        rows[(ref_date, unique)] = DatacubeRow(
            account=account,
            endpoint=endpoint,
            ref_date=ref_date,
            key=unique,
            data=item,
            fetched_at=now,
        )
    with transaction.atomic():
        DatacubeRow.objects.bulk_create(
            list(rows.values()),
            update_conflicts=True,
            unique_fields=["account", "endpoint", "ref_date", "key"],
            update_fields=["data", "fetched_at"],
        )
        audit_record(
            action="datacube.fetch",
            obj=account,
            actor_name=SYSTEM,
            note=_("%(endpoint)s %(begin)s–%(end)s: %(count)s rows")
            % {"endpoint": endpoint, "begin": begin, "end": end, "count": len(rows)},
        )
    return len(rows)


def datacube_day(*, now: datetime | None = None) -> date:
    """The latest complete day: yesterday after 08:00, else the day before."""
    local = timezone.localtime(now or timezone.now())
    back = 1 if local.hour >= limits.get("datacube")["ready_hour"] else 2
    return local.date() - timedelta(days=back)


def datacube_daily(*, account: WeChatAccount, now: datetime | None = None) -> dict[str, int]:
    day = datacube_day(now=now)
    counts = {}
    for endpoint in limits.get("datacube")["daily"]:
        try:
            counts[endpoint] = datacube_fetch(
                account=account, endpoint=endpoint, begin=day, end=day
            )
        except WeChatError as exc:  # one retired interface must not stop the others
            log.warning("datacube %s failed for %s: %s", endpoint, account, exc)
    return counts
