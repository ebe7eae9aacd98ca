"""Processing of stored deliveries, and the services that manage automatic replies.

Processing: the stored row is the queue. ``inbound_process_pending`` claims rows with one
conditional UPDATE (only rows still claimable move, each claim gets its own token, so two workers
can never hold the same row), then runs the dispatch handlers of each claimed row in the same
transaction as its conditional "processed" mark. Handlers' database effects therefore commit
exactly once: a worker that dies mid-way commits nothing, and its claim is taken over after
WECHAT_PROCESSING_TIMEOUT. Processing is system work on behalf of no person, so it is not audited
per message (the row itself is the record); people's changes to replies are.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from zhengwei.access.policy import denied, require
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.lib.events import publish_on_commit
from zhengwei.wechat.inbound.dispatch import handlers_for, on_event
from zhengwei.wechat.inbound.models import (
    CallbackRejection,
    ChangeState,
    ContentChange,
    InboundMessage,
    KeywordReply,
    MenuButtonName,
    MenuClickReply,
    State,
)
from zhengwei.wechat.inbound.policy import REPLIES_MANAGE, must_submit
from zhengwei.wechat.inbound.replies import forget_rules

log = logging.getLogger("zhengwei.wechat.processing")


class _LostClaim(Exception):
    pass


def claimable(now) -> Q:
    return (
        Q(state=State.RECEIVED)
        | Q(
            state=State.FAILED,
            attempts__lt=settings.WECHAT_PROCESS_MAX_ATTEMPTS,
            claimed_at__lt=now - timedelta(seconds=settings.WECHAT_PROCESS_RETRY_DELAY),
        )
        | Q(
            state=State.PROCESSING,
            claimed_at__lt=now - timedelta(seconds=settings.WECHAT_PROCESSING_TIMEOUT),
        )
    )


def inbound_claim(*, limit: int = 100) -> tuple[str, list[InboundMessage]]:
    """Claim up to ``limit`` stored deliveries for this worker (oldest first)."""
    now = timezone.now()
    ids = list(
        InboundMessage.objects.filter(claimable(now))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return "", []
    token = uuid.uuid4().hex
    # One citizen's messages are handled in the order they came: a row waits while an earlier
    # one of the same citizen is in another worker's hands. Without this, two task workers took
    # 我要报灾 and the description that followed it in different batches, the description was
    # handled first (no draft yet: it went to the inbox) and 确认 found an empty draft — 3 of
    # 300 chat reports lost in `bench/run processing` on PostgreSQL with 2 workers.
    earlier_in_hand = InboundMessage.objects.filter(
        account_id=OuterRef("account_id"),
        from_user_index=OuterRef("from_user_index"),  # the sealed openid's blind index
        pk__lt=OuterRef("pk"),
        state=State.PROCESSING,
        claimed_at__gte=now - timedelta(seconds=settings.WECHAT_PROCESSING_TIMEOUT),
    )
    # The WHERE repeats the claimable test: a row another worker claimed meanwhile no longer
    # matches, so it is not taken twice (PostgreSQL re-checks it after the row lock; SQLite runs
    # one writer at a time).
    InboundMessage.objects.filter(claimable(now), pk__in=ids).exclude(
        Exists(earlier_in_hand)
    ).update(state=State.PROCESSING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    claimed = list(
        InboundMessage.objects.filter(claim_token=token, state=State.PROCESSING)
        .select_related("account")
        .order_by("id")
    )
    return token, claimed


def inbound_process(messages: list[InboundMessage], *, token: str) -> int:
    """Run the handlers of claimed deliveries; returns how many were processed.

    One transaction for the batch (one commit instead of one per message), a savepoint per
    message: a handler that raises rolls back only its own message's effects, which is then
    marked failed. Events are published once the batch has committed."""
    done = 0
    with transaction.atomic():
        for message in messages:
            try:
                with transaction.atomic():
                    _run_handlers(message, token)
                done += 1
            except _LostClaim:
                log.warning("inbound message %s was claimed by another worker", message.pk)
            except OperationalError as exc:
                if not _is_transient(exc):
                    _mark_failed(message, token, exc)
                    continue
                # Two workers' batches locked the same rows in opposite orders; the database
                # chose this message as the victim. Nothing of it was kept: hand it straight back
                # for the next round instead of waiting out the retry delay of a real failure.
                log.warning("inbound message %s hit a deadlock; released for retry", message.pk)
                InboundMessage.objects.filter(pk=message.pk, claim_token=token).update(
                    state=State.RECEIVED, attempts=F("attempts") - 1
                )
            except Exception as exc:
                _mark_failed(message, token, exc)
    return done


def _mark_failed(message: InboundMessage, token: str, exc: BaseException) -> None:
    log.exception("inbound message %s failed", message.pk)
    error = "".join(traceback.format_exception_only(exc)).strip()
    InboundMessage.objects.filter(pk=message.pk, claim_token=token).update(
        state=State.FAILED, error=error[-2000:]
    )


def _is_transient(exc: OperationalError) -> bool:
    """A deadlock or serialization failure (PostgreSQL SQLSTATE 40P01 / 40001)."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in {"40P01", "40001"}


def _run_handlers(message: InboundMessage, token: str) -> None:
    for handler in handlers_for(message.kind, message.msg_type, message.event):
        handler(message)
    # Conditional: a worker whose claim was taken over (it was too slow) must not commit.
    done = InboundMessage.objects.filter(
        pk=message.pk, claim_token=token, state=State.PROCESSING
    ).update(state=State.PROCESSED, processed_at=timezone.now(), error="")
    if not done:
        raise _LostClaim
    publish_on_commit(
        "wechat.message_received",
        account_id=message.account_id,
        message_id=message.pk,
        from_user=message.from_user,
        kind=message.kind,
        msg_type=message.msg_type,
        # "event" names the domain event itself in zhengwei.lib.events, hence event_name.
        event_name=message.event,
    )


def inbound_process_pending(*, limit: int = 50, max_rounds: int = 100) -> int:
    """Claim and process stored deliveries until none is left (or ``max_rounds`` batches).
    Returns how many were processed. Safe to run in any number of processes at once.
    Batches stay small because on SQLite a batch holds the single write lock."""
    done = 0
    for _ in range(max_rounds):
        token, batch = inbound_claim(limit=limit)
        if not batch:
            break
        done += inbound_process(batch, token=token)
    return done


# ----------------------------------------------------------------- built-in event handlers


def callback_rejections_prune(*, now=None) -> int:
    """Keep the refused-callback log bounded (system, housekeeping like the API-call log): rows
    older than WECHAT_REJECTION_RETENTION_DAYS go, and beyond WECHAT_REJECTION_MAX_ROWS the
    oldest go, so someone with no secret cannot grow the database by sending junk."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WECHAT_REJECTION_RETENTION_DAYS)
    deleted = CallbackRejection.objects.filter(at__lt=cutoff).delete()[0]
    keep = settings.WECHAT_REJECTION_MAX_ROWS
    newest_dropped = CallbackRejection.objects.order_by("-pk").values_list("pk", flat=True)[
        keep : keep + 1
    ]
    if newest_dropped:
        deleted += CallbackRejection.objects.filter(pk__lte=newest_dropped[0]).delete()[0]
    if deleted:
        log.info("pruned %d refused-callback rows", deleted)
    return deleted


@on_event("publishjobfinish")
def _publish_finished(message: InboundMessage) -> None:
    info = message.fields.get("PublishEventInfo")
    info = info if isinstance(info, dict) else {}
    publish_on_commit(
        "wechat.publish_finished",
        account_id=message.account_id,
        message_id=message.pk,
        publish_id=str(info.get("publish_id", "")),
        publish_status=_int(info.get("publish_status")),
        payload=info,
    )


@on_event("masssendjobfinish")
def _masssend_finished(message: InboundMessage) -> None:
    publish_on_commit(
        "wechat.masssend_finished",
        account_id=message.account_id,
        message_id=message.pk,
        msg_id=message.msg_id,
        status=message.field("Status"),
        payload=message.fields,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------- automatic replies

KEYWORD_FIELDS = ["keyword", "match", "reply_text", "active"]
MENU_FIELDS = ["event_key", "reply_text", "active"]


def _changed(account_id: int) -> None:
    # This process sees the change at once; the others within WECHAT_REPLY_CACHE_SECONDS.
    transaction.on_commit(lambda: forget_rules(account_id))
    publish_on_commit("wechat.replies_changed", account_id=account_id)


def _may_change(actor, account, change: ContentChange | None) -> None:
    """The right to manage replies, and for a contractor member an approved change: nothing a
    contractor drafts reaches citizens before the office approved it (CONTENT_APPROVAL_CHAIN)."""
    require(actor, REPLIES_MANAGE, account)
    require_approved(actor, account, change)


def require_approved(actor, account, change: ContentChange | None) -> None:
    if not must_submit(actor, account):
        return
    approved = change is not None and (
        ContentChange.objects.filter(
            pk=change.pk, account=account, state=ChangeState.APPROVED
        ).exists()
    )
    if not approved:
        raise denied()


def _save(
    actor,
    obj,
    data: dict[str, Any],
    allowed: list[str],
    action: str,
    change: ContentChange | None = None,
) -> Any:
    _may_change(actor, obj.account, change)
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    before = snapshot(obj, allowed) if obj.pk else None
    for key, value in data.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    old, new = diff(before, snapshot(obj, allowed))
    note = f"change #{change.pk}" if change else ""
    audit_record(actor=actor, action=action, obj=obj, before=old, after=new, note=note)
    _changed(obj.account_id)
    return obj


def _delete(
    actor, obj, allowed: list[str], action: str, change: ContentChange | None = None
) -> None:
    _may_change(actor, obj.account, change)
    note = f"change #{change.pk}" if change else ""
    audit_record(actor=actor, action=action, obj=obj, before=snapshot(obj, allowed), note=note)
    obj.delete()
    _changed(obj.account_id)


@transaction.atomic
def keyword_reply_create(*, actor, account, change=None, **data: Any) -> KeywordReply:
    return _save(
        actor, KeywordReply(account=account), data, KEYWORD_FIELDS, "wechat.keyword.create", change
    )


@transaction.atomic
def keyword_reply_update(*, actor, reply: KeywordReply, change=None, **data: Any) -> KeywordReply:
    return _save(actor, reply, data, KEYWORD_FIELDS, "wechat.keyword.update", change)


@transaction.atomic
def keyword_reply_delete(*, actor, reply: KeywordReply, change=None) -> None:
    _delete(actor, reply, KEYWORD_FIELDS, "wechat.keyword.delete", change)


@transaction.atomic
def menu_click_reply_create(*, actor, account, change=None, **data: Any) -> MenuClickReply:
    return _save(
        actor,
        MenuClickReply(account=account),
        data,
        MENU_FIELDS,
        "wechat.menu_reply.create",
        change,
    )


@transaction.atomic
def menu_click_reply_update(
    *, actor, reply: MenuClickReply, change=None, **data: Any
) -> MenuClickReply:
    return _save(actor, reply, data, MENU_FIELDS, "wechat.menu_reply.update", change)


@transaction.atomic
def menu_click_reply_delete(*, actor, reply: MenuClickReply, change=None) -> None:
    _delete(actor, reply, MENU_FIELDS, "wechat.menu_reply.delete", change)


# ----------------------------------------------------------------- the names of menu buttons


def menu_button_names_record(*, account, menu: dict, now=None) -> int:
    """Keep the name of each button of a menu that has just become current (published, recorded
    or fetched by the outbound app, in its transaction): a row for each key whose name is new or
    changed, so the message log names a click as the menu read when it was pressed. System
    bookkeeping of a change audited by its caller. Returns the number of rows written."""
    now = now or timezone.now()
    names: dict[str, str] = {}
    for top in menu.get("button") or []:
        for button in top.get("sub_button") or [top]:
            key = button.get("key") or button.get("url") or ""
            if key and button.get("name"):
                names[key[:512]] = button["name"][:60]
    current = {}
    for row in MenuButtonName.objects.filter(account=account, key__in=list(names)).order_by(
        "key", "-since"
    ):
        current.setdefault(row.key, row.name)
    new = [
        MenuButtonName(account=account, key=key, name=name, since=now)
        for key, name in names.items()
        if current.get(key) != name
    ]
    MenuButtonName.objects.bulk_create(new)
    return len(new)
