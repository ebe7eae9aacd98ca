"""Handling by the office: acknowledge, triage, dispatch to a unit."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.audit.services import snapshot
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import Organisation
from zhengwei.reports import notices, workflow
from zhengwei.reports import policy as P
from zhengwei.reports.models import (
    Hazard,
    Priority,
    Report,
    State,
    StepKind,
)
from zhengwei.reports.selectors import is_unit_of, route_for
from zhengwei.reports.services.common import (
    AUDIT_FIELDS,
    _advance,
    _audit,
    _clock_start,
    _require,
    _step,
)
from zhengwei.reports.workflow import IllegalTransition


def report_ack(
    *, actor, report: Report, public_note: str = "", now: datetime | None = None
) -> Report:
    """A duty officer takes the report up and tells the citizen (the headline acknowledgement)."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(report)
        _require(actor, P.REPORTS_TRIAGE, report)
        if report.first_ack_at is not None:
            raise IllegalTransition(_("The report has already been acknowledged."))
        if report.state in workflow.DONE_STATES:
            raise IllegalTransition(_("The report is already finished."))
        before = snapshot(report, AUDIT_FIELDS)
        report.first_ack_at = report.first_ack_at or now
        report.handler = actor
        report.save()
        _step(
            report,
            StepKind.ACK,
            actor=actor,
            from_state=report.state,
            public_note=public_note or notices.default(StepKind.ACK, report),
            at=now,
        )
        _audit(actor, "report.ack", report, before)
        publish_on_commit(
            "report.acknowledged",
            report_id=report.pk,
            account_id=report.account_id,
            user_id=actor.pk,
        )
    return report


def report_triage(
    *,
    actor,
    report: Report,
    priority: str,
    hazard: str | None = None,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose a priority.")]})
    if hazard is not None and hazard not in Hazard.values:
        raise ValidationError({"hazard": [_("Choose what happened.")]})
    with transaction.atomic():
        lock(report)
        _require(actor, P.REPORTS_TRIAGE, report)
        hazard = hazard or report.hazard
        _advance(
            report,
            State.TRIAGED,
            StepKind.TRIAGE,
            actor=actor,
            now=now,
            action="report.triage",
            acknowledge=True,
            changes={
                "priority": priority,
                "hazard": hazard,
                "triaged_at": report.triaged_at or now,
                "due_at": workflow.due_at(priority, _clock_start(report)),
            },
            public_note=public_note,
            internal_note=internal_note,
            data={"priority": priority, "hazard": hazard},
        )
        publish_on_commit(
            "report.triaged",
            report_id=report.pk,
            account_id=report.account_id,
            priority=priority,
            hazard=str(report.hazard),
        )
    return report


def report_dispatch(
    *,
    actor,
    report: Report,
    unit: Organisation | None = None,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """To a unit (chosen, or by the county × hazard routing rules) and its officer on duty."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(report)
        _require(actor, P.REPORTS_DISPATCH, report)
        workflow.check_move(report.state, State.DISPATCHED)
        rule = None
        if unit is None:
            unit, rule = route_for(report)
            if unit is None:
                raise ValidationError(
                    _("No routing rule covers this county and hazard: choose the unit yourself.")
                )
        if not is_unit_of(unit, report.account) or not unit.is_active:
            raise ValidationError(_("%(unit)s is not a unit of this office.") % {"unit": unit})
        assignee = P.unit_officer_on_duty(unit, report.account, now)
        _advance(
            report,
            State.DISPATCHED,
            StepKind.DISPATCH,
            actor=actor,
            now=now,
            action="report.dispatch",
            acknowledge=True,
            changes={
                "assigned_unit": unit,
                "assignee": assignee,
                "dispatched_at": report.dispatched_at or now,
                "signed_at": None,
            },
            public_note=public_note,
            default_note=True,
            internal_note=internal_note,
            data={
                "unit": unit.pk,
                "unit_name": str(unit),
                "assignee": assignee.pk if assignee else None,
                "rule": rule.pk if rule else None,
                "nobody_on_duty": assignee is None,
            },
        )
        publish_on_commit(
            "report.dispatched",
            report_id=report.pk,
            account_id=report.account_id,
            unit_id=unit.pk,
            assignee_id=assignee.pk if assignee else None,
        )
    return report


def report_triage_and_dispatch(
    *,
    actor,
    report: Report,
    priority: str = "",
    unit: Organisation | None = None,
    now: datetime | None = None,
) -> Report:
    """The duty console's one click: triage (when the report still needs it, at ``priority`` or
    the provisional one) and dispatch, in one transaction: a dispatch that fails leaves the report
    as it was, not triaged halfway."""
    with transaction.atomic():
        lock(report)
        if not workflow.can_move(report.state, State.DISPATCHED):
            report_triage(actor=actor, report=report, priority=priority or report.priority, now=now)
        return report_dispatch(actor=actor, report=report, unit=unit, now=now)
