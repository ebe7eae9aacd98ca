"""The citizen's verdict and internal notes."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied
from zhengwei.audit.services import snapshot
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.reports import policy as P
from zhengwei.reports.actors import Citizen
from zhengwei.reports.models import (
    Report,
    State,
    StepKind,
)
from zhengwei.reports.services.common import (
    AUDIT_FIELDS,
    _audit,
    _ensure_ack,
    _require,
    _require_unit_or_duty,
    _step,
)
from zhengwei.reports.services.outcomes import owns_family
from zhengwei.reports.workflow import IllegalTransition


def report_rate(
    *, actor, report: Report, rating: int, comment: str = "", now: datetime | None = None
) -> Report:
    now = now or timezone.now()
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Give a rating from 1 to 5.")]})
    with transaction.atomic():
        lock(report)
        if isinstance(actor, Citizen):
            # The reporter, or a reporter whose report was merged into this one (they were
            # asked too).
            if not owns_family(actor, report):
                raise denied()
        else:  # recorded by the office at a follow-up call (回访)
            _require(actor, P.REPORTS_CLOSE, report)
        if report.state not in (State.RESOLVED, State.CLOSED):
            raise IllegalTransition(_("Only a resolved or closed report can be rated."))
        if report.satisfaction is not None:
            raise IllegalTransition(_("This report has already been rated."))
        before = snapshot(report, AUDIT_FIELDS)
        report.satisfaction = rating
        report.rated_at = now
        report.save()
        _step(
            report,
            StepKind.RATE,
            actor=actor,
            from_state=report.state,
            internal_note=(comment or "").strip()[:500],
            data={"rating": rating},
            at=now,
        )
        _audit(actor, "report.rate", report, before)
        publish_on_commit(
            "report.rated", report_id=report.pk, account_id=report.account_id, rating=rating
        )
    return report


def report_note(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """A reply to the reporter or an internal remark, without changing the state."""
    if not (public_note or internal_note).strip():
        raise ValidationError(_("Write a note."))
    now = now or timezone.now()
    with transaction.atomic():
        lock(report)
        _require_unit_or_duty(actor, report)
        if public_note.strip():
            _ensure_ack(report, actor, now)
        _step(
            report,
            StepKind.NOTE,
            actor=actor,
            from_state=report.state,
            public_note=public_note,
            internal_note=internal_note,
            at=now,
        )
        _audit(actor, "report.note", report)
    return report
