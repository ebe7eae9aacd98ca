"""Handling by the unit: sign for, contact the reporter, progress, resolve, close."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.audit.services import snapshot
from zhengwei.lib.db import lock
from zhengwei.reports import workflow
from zhengwei.reports.models import (
    Report,
    State,
    StepKind,
)
from zhengwei.reports.services.common import (
    AUDIT_FIELDS,
    _audit,
    _ensure_ack,
    _handle,
    _move,
    _require_assigned_unit,
    _require_office,
    _require_unit_or_duty,
    _step,
)
from zhengwei.reports.workflow import IllegalTransition


def report_sign(
    *, actor, report: Report, internal_note: str = "", now: datetime | None = None
) -> Report:
    """签收: an officer of the assigned unit takes charge."""
    now = now or timezone.now()
    return _handle(
        report,
        State.SIGNED,
        StepKind.SIGN,
        actor=actor,
        now=now,
        authorize=_require_assigned_unit,
        action="report.sign",
        acknowledge=False,
        changes={"assignee": actor, "signed_at": now},
        default_note=True,
        internal_note=internal_note,
    )


def report_contact(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """The reporter was called back or messaged (响应). Moves a signed report on to ``contacted``."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(report)
        _require_unit_or_duty(actor, report)
        if report.state not in workflow.OPEN_STATES:
            raise IllegalTransition(_("The report is already finished."))
        before = snapshot(report, AUDIT_FIELDS)
        _ensure_ack(report, actor, now)
        report.contacted_at = report.contacted_at or now
        if report.state == State.SIGNED:
            _move(
                report,
                State.CONTACTED,
                StepKind.CONTACT,
                actor=actor,
                now=now,
                public_note=public_note,
                internal_note=internal_note,
            )
        else:
            report.save()
            _step(
                report,
                StepKind.CONTACT,
                actor=actor,
                from_state=report.state,
                public_note=public_note,
                internal_note=internal_note,
                at=now,
            )
        _audit(actor, "report.contact", report, before)
    return report


def report_progress(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    if not (public_note or internal_note).strip():
        raise ValidationError(_("Say what is being done."))
    return _handle(
        report,
        State.IN_PROGRESS,
        StepKind.PROGRESS,
        actor=actor,
        now=now,
        authorize=_require_unit_or_duty,
        action="report.progress",
        acknowledge=False,
        public_note=public_note,
        internal_note=internal_note,
    )


def report_resolve(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    return _handle(
        report,
        State.RESOLVED,
        StepKind.RESOLVE,
        actor=actor,
        now=now,
        authorize=_require_unit_or_duty,
        action="report.resolve",
        acknowledge=True,
        changes={"resolved_at": now},
        public_note=public_note,
        default_note=True,
        internal_note=internal_note,
    )


def report_close(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    return _handle(
        report,
        State.CLOSED,
        StepKind.CLOSE,
        actor=actor,
        now=now,
        authorize=_require_office,
        action="report.close",
        acknowledge=False,
        changes={"closed_at": now},
        public_note=public_note,
        default_note=True,
        internal_note=internal_note,
    )
