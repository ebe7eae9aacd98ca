"""What the account says by itself — keyword and menu-click replies, the custom menu — drafted by
the contractor and approved by the office, like a reply to one citizen.

A contractor member's change becomes a ``ContentChange`` (``content_change_open``); the office
approves it level by level (``CONTENT_APPROVAL_CHAIN`` of the account's operation model: in the
delegated model a reviewer, then the office leader), each decision a ``ContentReview`` row.
Only an approved change is applied, by the services that manage replies and the menu, which
refuse a contractor member anything else (``services.require_approved``). In emergency mode the
duty leader or the office leader may approve in one step (the fast track, a row of its own that
names the emergency). Nobody approves their own draft, nor two levels of the same change.

Emergency mode is known above this layer (the duty console's switch in reports, a declared
emergency in the newsroom): those apps register a source with ``emergency_source`` from their
``ready()``, as handlers register with the dispatch registry.

Events:
    content_change.submitted / .reviewed   change_id, account_id, state
    content_change.approved                change_id, account_id, kind (the menu applies on it)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied, may, require, roles_of
from zhengwei.audit.services import audit_record, snapshot
from zhengwei.lib.events import publish_on_commit
from zhengwei.notify.services import notification_send
from zhengwei.orgs.models import Role, RoleGrant, User, WeChatAccount
from zhengwei.wechat.inbound import policy as P
from zhengwei.wechat.inbound import services
from zhengwei.wechat.inbound.models import (
    ChangeKind,
    ChangeOp,
    ChangeState,
    ContentChange,
    ContentReview,
    KeywordReply,
    MenuClickReply,
    ReviewOutcome,
)

_EMERGENCY_SOURCES: list[Callable[[WeChatAccount], str]] = []

MODELS = {ChangeKind.KEYWORD: KeywordReply, ChangeKind.MENU_REPLY: MenuClickReply}
FIELDS = {ChangeKind.KEYWORD: services.KEYWORD_FIELDS, ChangeKind.MENU_REPLY: services.MENU_FIELDS}
APPLY = {
    (ChangeKind.KEYWORD, ChangeOp.CREATE): services.keyword_reply_create,
    (ChangeKind.KEYWORD, ChangeOp.UPDATE): services.keyword_reply_update,
    (ChangeKind.KEYWORD, ChangeOp.DELETE): services.keyword_reply_delete,
    (ChangeKind.MENU_REPLY, ChangeOp.CREATE): services.menu_click_reply_create,
    (ChangeKind.MENU_REPLY, ChangeOp.UPDATE): services.menu_click_reply_update,
    (ChangeKind.MENU_REPLY, ChangeOp.DELETE): services.menu_click_reply_delete,
}


def emergency_source(fn: Callable[[WeChatAccount], str]) -> Callable[[WeChatAccount], str]:
    """Register ``fn(account) -> reason`` ("" when no emergency): the fast track asks each."""
    if fn not in _EMERGENCY_SOURCES:
        _EMERGENCY_SOURCES.append(fn)
    return fn


def emergency_reason(account: WeChatAccount) -> str:
    for source in _EMERGENCY_SOURCES:
        reason = source(account)
        if reason:
            return reason
    return ""


def _holders(account: WeChatAccount, roles) -> list[int]:
    ids = RoleGrant.objects.filter(
        account=account, role__in=list(roles), user__is_active=True
    ).values_list("user_id", flat=True)
    return sorted({pk for pk in ids})


def _tell(
    change: ContentChange, people, title: str, *, urgent: bool = False, now: datetime
) -> None:
    notification_send(
        recipients=people,
        kind="content_change",
        title=title,
        body=_("%(kind)s · %(op)s · %(what)s")
        % {
            "kind": change.get_kind_display(),
            "op": change.get_op_display(),
            "what": change.summary[:60],
        },
        url=reverse("wechat_inbound:change", args=[change.pk]),
        urgent=urgent,
        account=change.account,
        now=now,
    )


def _tell_next(change: ContentChange, now: datetime) -> None:
    """The holders of the next level's role; in emergency mode the fast track's holders too."""
    level = change.reviews.filter(outcome=ReviewOutcome.APPROVED).count()
    if level >= len(change.chain):
        return
    title = _("To approve: %(kind)s #%(pk)s") % {"kind": change.get_kind_display(), "pk": change.pk}
    _tell(change, _holders(change.account, [change.chain[level]]), title, now=now)
    if emergency_reason(change.account):
        fast = _holders(change.account, [Role.DUTY_LEADER, Role.OFFICE_LEADER])
        _tell(change, fast, title, urgent=True, now=now)


def _proposal(kind: str, op: str, account: WeChatAccount, target, payload: dict) -> dict:
    """Check the proposed reply as the service will when it applies it (unique keyword, lengths)."""
    model = MODELS[kind]
    fields = FIELDS[kind]
    if op == ChangeOp.DELETE:
        return {}
    unknown = set(payload) - set(fields)
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    trial = model(account=account) if target is None else model.objects.get(pk=target.pk)
    for key, value in payload.items():
        setattr(trial, key, value)
    trial.full_clean()
    return {key: getattr(trial, key) for key in fields}


def content_change_open(
    *,
    actor: User,
    account: WeChatAccount,
    kind: str,
    op: str,
    right: str = P.REPLIES_MANAGE,
    target: KeywordReply | MenuClickReply | None = None,
    payload: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> ContentChange:
    """A change for the office to approve. ``right`` is the action the drafter needs to make it
    (the menu's is the outbound app's ``wechat.menu.manage``, which also validates the menu)."""
    now = now or timezone.now()
    require(actor, right, account)
    chain = P.approval_chain(account)
    if not chain:
        raise ValidationError(_("This account's operation model asks for no approval."))
    if target is not None and target.account_id != account.pk:
        raise denied()
    payload = dict(payload or {})
    if kind in MODELS:
        if (target is None) != (op == ChangeOp.CREATE):
            raise ValueError("an addition has no target; a change or deletion has one")
        payload = _proposal(kind, op, account, target, payload)
        if target is not None:
            before = snapshot(target, FIELDS[kind])
    with transaction.atomic():
        change = ContentChange.objects.create(
            account=account,
            kind=kind,
            op=op,
            target_id=target.pk if target is not None else None,
            payload=payload,
            before=before or {},
            drafted_by=actor,
            drafted_at=now,
            chain=list(chain),
        )
        audit_record(actor=actor, action="content_change.submit", obj=change, after=payload)
        _tell_next(change, now)
        publish_on_commit(
            "content_change.submitted",
            change_id=change.pk,
            account_id=account.pk,
            state=change.state,
        )
    return change


def _pending(change: ContentChange) -> ContentChange:
    locked = ContentChange.objects.select_for_update().select_related("account").get(pk=change.pk)
    if locked.state != ChangeState.PENDING:
        raise ValidationError(
            _("This change is no longer awaiting approval (%(state)s).")
            % {"state": locked.get_state_display()}
        )
    return locked


def _level_role(actor: User, change: ContentChange, *, fast_track: bool) -> tuple[int, str]:
    """The level ``actor`` would decide and the role they decide it as, or a refusal."""
    if not P.speaks_for_office(actor) or actor.pk == change.drafted_by_id:
        raise denied()
    approved = list(change.reviews.filter(outcome=ReviewOutcome.APPROVED))
    level = len(approved) + 1
    held = roles_of(actor, change.account)
    if fast_track:
        require(actor, P.CHANGES_FAST_TRACK, change.account)
        if not emergency_reason(change.account):
            raise ValidationError(_("The fast track is open only in emergency mode."))
        role = Role.OFFICE_LEADER if Role.OFFICE_LEADER in held else Role.DUTY_LEADER
        return level, role
    if any(r.reviewer_id == actor.pk for r in approved):
        raise denied()  # two levels need two people
    role = change.chain[level - 1] if level <= len(change.chain) else ""
    if not role or role not in held:
        raise denied()
    return level, role


def content_change_approve(
    *,
    actor: User,
    change: ContentChange,
    comment: str = "",
    fast_track: bool = False,
    now: datetime | None = None,
) -> ContentChange:
    """One level of approval (or, in emergency mode, the fast track's single step). The last
    level applies the change: replies at once, the menu through the outbound app's WeChat call."""
    now = now or timezone.now()
    with transaction.atomic():
        change = _pending(change)
        level, role = _level_role(actor, change, fast_track=fast_track)
        reason = emergency_reason(change.account) if fast_track else ""
        ContentReview.objects.create(
            change=change,
            level=level,
            role=role,
            reviewer=actor,
            outcome=ReviewOutcome.APPROVED,
            fast_track=fast_track,
            comment=(comment or reason).strip()[:300],
            at=now,
        )
        final = fast_track or level >= len(change.chain)
        if final:
            change.state = ChangeState.APPROVED
            change.fast_track = fast_track
            change.decided_at = now
            change.save(update_fields=["state", "fast_track", "decided_at"])
        audit_record(
            actor=actor,
            action="content_change.fast_track" if fast_track else "content_change.approve",
            obj=change,
            after={"level": level, "role": role, "state": change.state},
            note=reason[:200],
        )
        publish_on_commit(
            "content_change.reviewed",
            change_id=change.pk,
            account_id=change.account_id,
            state=change.state,
        )
        if not final:
            _tell_next(change, now)
        elif change.kind == ChangeKind.MENU:
            # The WeChat call stays out of this transaction; the outbound app makes it.
            publish_on_commit(
                "content_change.approved",
                change_id=change.pk,
                account_id=change.account_id,
                kind=change.kind,
            )
    if final and change.kind in MODELS:
        _apply_reply(change, now)
    change.refresh_from_db()
    return change


def _apply_reply(change: ContentChange, now: datetime) -> None:
    apply = APPLY[(change.kind, change.op)]
    kwargs: dict[str, Any] = {"actor": change.drafted_by, "change": change}
    if change.op == ChangeOp.CREATE:
        kwargs["account"] = change.account
    else:
        target = MODELS[change.kind].objects.filter(pk=change.target_id).first()
        if target is None:
            content_change_applied(change=change, error=_("The reply no longer exists."), now=now)
            return
        kwargs["reply"] = target
    if change.op != ChangeOp.DELETE:
        kwargs.update(change.payload)
    try:
        apply(**kwargs)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(getattr(exc, "messages", None) or [str(exc)])
        content_change_applied(change=change, error=text, now=now)
    else:
        content_change_applied(change=change, now=now)


def content_change_applied(
    *, change: ContentChange, error: str = "", now: datetime | None = None
) -> ContentChange:
    """Record that an approved change took effect, or why it could not (system step)."""
    now = now or timezone.now()
    with transaction.atomic():
        change = ContentChange.objects.select_for_update().get(pk=change.pk)
        if change.state != ChangeState.APPROVED:
            return change
        change.state = ChangeState.FAILED if error else ChangeState.APPLIED
        change.applied_at = None if error else now
        change.error = error[:300]
        change.save(update_fields=["state", "applied_at", "error"])
        audit_record(
            action="content_change.applied",
            obj=change,
            actor_name=_("system"),
            outcome="error" if error else "ok",
            note=error[:200],
        )
        title = (
            _("Not in effect: %(kind)s #%(pk)s") if error else _("In effect: %(kind)s #%(pk)s")
        ) % {"kind": change.get_kind_display(), "pk": change.pk}
        _tell(change, [change.drafted_by_id], title, now=now)
    return change


def content_change_return(
    *, actor: User, change: ContentChange, comment: str, now: datetime | None = None
) -> ContentChange:
    """The reviewer of the current level (or the fast track's holder) sends it back, saying why."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]})
    now = now or timezone.now()
    with transaction.atomic():
        change = _pending(change)
        try:
            level, role = _level_role(actor, change, fast_track=False)
        except PermissionDenied:
            if not emergency_reason(change.account):
                raise
            level, role = _level_role(actor, change, fast_track=True)
        ContentReview.objects.create(
            change=change,
            level=level,
            role=role,
            reviewer=actor,
            outcome=ReviewOutcome.RETURNED,
            comment=comment[:300],
            at=now,
        )
        change.state = ChangeState.RETURNED
        change.decided_at = now
        change.save(update_fields=["state", "decided_at"])
        audit_record(actor=actor, action="content_change.return", obj=change, note=comment[:200])
        _tell(
            change,
            [change.drafted_by_id],
            _("Returned: %(kind)s #%(pk)s") % {"kind": change.get_kind_display(), "pk": change.pk},
            now=now,
        )
        publish_on_commit(
            "content_change.reviewed",
            change_id=change.pk,
            account_id=change.account_id,
            state=change.state,
        )
    return change


def content_change_withdraw(*, actor: User, change: ContentChange) -> ContentChange:
    with transaction.atomic():
        change = _pending(change)
        if change.drafted_by_id != actor.pk:
            raise denied()
        change.state = ChangeState.WITHDRAWN
        change.save(update_fields=["state"])
        audit_record(actor=actor, action="content_change.withdraw", obj=change)
    return change


def content_change_declared(
    *, actor: User, account: WeChatAccount, note: str, declared_by: User, declared_at: datetime
) -> ContentChange | None:
    """The emergency set a declared emergency switches to (newsroom): the office approved it by
    declaring the emergency, so it is recorded as one fast-track step by the person who declared
    it, at that time. None when the actor speaks for the office (no approval needed)."""
    if not P.must_submit(actor, account):
        return None
    if not (
        P.speaks_for_office(declared_by)
        and may(declared_by, P.CHANGES_FAST_TRACK, account)
        and emergency_reason(account)
    ):
        raise denied()
    now = timezone.now()
    with transaction.atomic():
        change = ContentChange.objects.create(
            account=account,
            kind=ChangeKind.EMERGENCY_SET,
            op=ChangeOp.PUBLISH,
            payload={"note": note[:200]},
            drafted_by=actor,
            drafted_at=now,
            chain=list(P.approval_chain(account)),
            state=ChangeState.APPROVED,
            fast_track=True,
            decided_at=declared_at,
        )
        ContentReview.objects.create(
            change=change,
            level=1,
            role=Role.OFFICE_LEADER
            if Role.OFFICE_LEADER in roles_of(declared_by, account)
            else Role.DUTY_LEADER,
            reviewer=declared_by,
            outcome=ReviewOutcome.APPROVED,
            fast_track=True,
            comment=_("Approved by declaring the emergency: %(note)s") % {"note": note[:200]},
            at=declared_at,
        )
        audit_record(actor=actor, action="content_change.submit", obj=change, note=note[:200])
    return change
