"""What every report service shares: the audit fields, locking, the scope checks and the
step writer that moves the state machine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhengwei.access.policy import denied
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User
from zhengwei.reports import notices, workflow
from zhengwei.reports import policy as P
from zhengwei.reports.models import (
    Report,
    ReportPhoto,
    ReportStep,
    StepKind,
)
from zhengwei.reports.photos import CleanPhoto

AUDIT_FIELDS = [
    "state",
    "priority",
    "hazard",
    "assigned_unit",
    "assignee",
    "handler",
    "escalation_level",
    "duplicate_of",
    "satisfaction",
    "due_at",
    "county_code",
    "location_flag",
]


def _user(actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _label(actor) -> str:
    return "" if isinstance(actor, User) else getattr(actor, "label", "")[:80]


def _audit(actor, action: str, report: Report, before: dict | None = None, note: str = "") -> None:
    after = snapshot(report, AUDIT_FIELDS)
    b, a = diff(before, after) if before else (None, after)
    audit_record(
        actor=_user(actor),
        actor_name=_label(actor),
        action=action,
        obj=report,
        before=b,
        after=a,
        note=note,
        ip=None if isinstance(actor, User) else getattr(actor, "ip", None),
    )


def _require(actor, action: str, report: Report) -> None:
    if not isinstance(actor, User) or not P.may_on_report(actor, action, report):
        raise denied()


def _is_office(actor, report: Report) -> bool:
    return isinstance(actor, User) and P.office_wide(actor, report.account)


def _require_unit_or_duty(actor, report: Report) -> None:
    _require(actor, P.REPORTS_WORK, report)
    if not (P.on_duty_desk(actor, report.account) or P.in_assigned_unit(actor, report)):
        raise denied()


def _require_assigned_unit(actor, report: Report) -> None:
    _require(actor, P.REPORTS_WORK, report)
    if not P.in_assigned_unit(actor, report):
        raise denied()


def _require_office(actor, report: Report) -> None:
    _require(actor, P.REPORTS_CLOSE, report)
    if not _is_office(actor, report):
        raise denied()


def _require_triage(actor, report: Report) -> None:
    _require(actor, P.REPORTS_TRIAGE, report)


def _step(
    report: Report,
    kind: str,
    *,
    actor,
    from_state: str,
    public_note: str = "",
    internal_note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> ReportStep:
    told = notices.told(
        report, kind=kind, from_state=from_state, to_state=report.state, note=public_note
    )
    step = ReportStep.objects.create(
        report=report,
        kind=kind,
        from_state=from_state,
        to_state=report.state,
        actor=_user(actor),
        actor_label=_label(actor),
        at=at or timezone.now(),
        public_note=told[:1000],
        internal_note=(internal_note or "").strip()[:2000],
        data=data or {},
    )
    publish_on_commit(
        "report.step_added",
        report_id=report.pk,
        step_id=step.pk,
        kind=str(kind),
        has_public_note=bool(step.public_note),
        account_id=report.account_id,
    )
    return step


def _move(
    report: Report,
    to_state: str,
    kind: str,
    *,
    actor,
    now: datetime,
    public_note: str = "",
    internal_note: str = "",
    data: dict | None = None,
) -> ReportStep:
    from_state = report.state
    workflow.check_move(from_state, to_state)
    report.state = to_state
    report.save()
    step = _step(
        report,
        kind,
        actor=actor,
        from_state=from_state,
        public_note=public_note,
        internal_note=internal_note,
        data=data,
        at=now,
    )
    if from_state != to_state:
        publish_on_commit(
            "report.state_changed",
            report_id=report.pk,
            ticket=report.ticket,
            account_id=report.account_id,
            from_state=str(from_state),
            to_state=str(to_state),
            step_id=step.pk,
        )
    return step


def _advance(
    report: Report,
    to_state: str,
    kind: str,
    *,
    actor,
    now: datetime,
    action: str,
    acknowledge: bool,
    changes: dict | None = None,
    public_note: str = "",
    default_note: bool = False,
    internal_note: str = "",
    data: dict | None = None,
    audit_note: str = "",
) -> ReportStep:
    """One handling step on a locked report: check the move, acknowledge (if asked), set
    ``changes``, move with its step (the kind's default public note when ``default_note`` and none
    is given) and audit it as ``action``."""
    workflow.check_move(report.state, to_state)
    before = snapshot(report, AUDIT_FIELDS)
    if acknowledge:
        _ensure_ack(report, actor, now)
    for field, value in (changes or {}).items():
        setattr(report, field, value)
    if default_note and not public_note:
        public_note = notices.default(kind, report)
    step = _move(
        report,
        to_state,
        kind,
        actor=actor,
        now=now,
        public_note=public_note,
        internal_note=internal_note,
        data=data,
    )
    _audit(actor, action, report, before, note=audit_note)
    return step


def _handle(
    report: Report,
    to_state: str,
    kind: str,
    *,
    actor,
    now: datetime,
    authorize: Callable[[object, Report], None],
    **step,
) -> Report:
    """Lock the report, ``authorize(actor, report)``, then ``_advance`` it, in one transaction."""
    with transaction.atomic():
        lock(report)
        authorize(actor, report)
        _advance(report, to_state, kind, actor=actor, now=now, **step)
    return report


def _ensure_ack(report: Report, actor, now: datetime) -> None:
    """The first handling by a duty officer acknowledges the report (the headline metric)."""
    if report.first_ack_at is not None or not P.on_duty_desk(actor, report.account):
        return
    report.first_ack_at = now
    report.handler = actor
    report.save(update_fields=["first_ack_at", "handler", "updated_at"])
    _step(report, StepKind.ACK, actor=actor, from_state=report.state, at=now)
    publish_on_commit(
        "report.acknowledged", report_id=report.pk, account_id=report.account_id, user_id=actor.pk
    )


def _clock_start(report: Report) -> datetime:
    return report.reopened_at or report.submitted_at


def _store_photo(report: Report, photo: CleanPhoto) -> ReportPhoto:
    item = ReportPhoto(
        report=report,
        original_format=photo.original_format,
        width=photo.width,
        height=photo.height,
        size=len(photo.original),
        sha256=photo.sha256,
    )
    item.original.save("original" + photo.extension, ContentFile(photo.original), save=False)
    item.display.save("display.jpg", ContentFile(photo.display), save=False)
    item.save()
    return item
