"""Honest outcomes: merge, duplicate, refer, reject, reopen, escalate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied
from zhengwei.audit.services import snapshot
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.notify.services import notification_send
from zhengwei.orgs.selectors import escalation_targets
from zhengwei.reports import notices, workflow
from zhengwei.reports import policy as P
from zhengwei.reports.actors import SYSTEM, Citizen
from zhengwei.reports.models import (
    Priority,
    Report,
    State,
    StepKind,
)
from zhengwei.reports.services.common import (
    AUDIT_FIELDS,
    _advance,
    _audit,
    _clock_start,
    _handle,
    _require,
    _require_office,
    _require_triage,
    _step,
)
from zhengwei.reports.services.emergency import emergency_current
from zhengwei.reports.workflow import IllegalTransition


def _root(report: Report) -> Report:
    seen = set()
    while report.duplicate_of_id and report.pk not in seen:
        seen.add(report.pk)
        report = report.duplicate_of
    return report


def owns_family(citizen: Citizen, report: Report) -> bool:
    """The citizen reported ``report`` or one of the reports merged into it."""
    if citizen.owns(report):
        return True
    return any(citizen.owns(r) for r in Report.objects.filter(duplicate_of=report))


def report_merge(
    *,
    actor,
    parent: Report,
    duplicates: Iterable[Report],
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Mark reports as duplicates of ``parent`` (or of its own parent) and tell every reporter."""
    now = now or timezone.now()
    duplicates = list(duplicates)
    if not duplicates:
        raise ValidationError(_("Choose the reports to merge."))
    with transaction.atomic():
        lock(parent)
        root = _root(parent)
        _require(actor, P.REPORTS_TRIAGE, root)
        if root.state == State.REJECTED:
            raise ValidationError(_("Reports cannot be merged into a rejected report."))
        merged, notify = [], {root.pk}
        for report in duplicates:
            lock(report)
            _require(actor, P.REPORTS_TRIAGE, report)
            if report.pk == root.pk:
                raise ValidationError(_("A report cannot be a duplicate of itself."))
            if report.account_id != root.account_id:
                raise ValidationError(_("Only reports of the same account can be merged."))
            _advance(
                report,
                State.DUPLICATE,
                StepKind.DUPLICATE,
                actor=actor,
                now=now,
                action="report.mark_duplicate",
                acknowledge=True,
                changes={"duplicate_of": root, "closed_at": now},
                public_note=public_note,
                default_note=True,
                internal_note=internal_note,
                data={"parent": root.ticket},
            )
            # Reports merged into this one follow it to the root.
            for child in Report.objects.filter(duplicate_of=report):
                child_before = snapshot(child, AUDIT_FIELDS)
                child.duplicate_of = root
                child.save(update_fields=["duplicate_of", "updated_at"])
                _audit(actor, "report.mark_duplicate", child, child_before)
                notify.add(child.pk)
            merged.append(report)
            notify.add(report.pk)
        _step(
            root,
            StepKind.MERGE,
            actor=actor,
            from_state=root.state,
            public_note=notices.default(StepKind.MERGE, root),
            data={"merged": [r.ticket for r in merged]},
            at=now,
        )
        family = [root.pk, *Report.objects.filter(duplicate_of=root).values_list("pk", flat=True)]
        publish_on_commit(
            "report.merged",
            parent_id=root.pk,
            merged_ids=[r.pk for r in merged],
            report_ids=sorted(family),
            notify_report_ids=sorted(notify),
            account_id=root.account_id,
        )
    return root


def report_mark_duplicate(
    *,
    actor,
    report: Report,
    parent: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    report_merge(
        actor=actor,
        parent=parent,
        duplicates=[report],
        public_note=public_note,
        internal_note=internal_note,
        now=now,
    )
    report.refresh_from_db()
    return report


def report_refer(
    *,
    actor,
    report: Report,
    to: str,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Not a flood-control matter: handed to 12345 or another department (closed, honestly)."""
    now = now or timezone.now()
    to = (to or "").strip()
    if not to:
        raise ValidationError({"to": [_("Say where the report was referred to.")]})
    return _handle(
        report,
        State.REFERRED,
        StepKind.REFER,
        actor=actor,
        now=now,
        authorize=_require_triage,
        action="report.refer",
        acknowledge=True,
        changes={"closed_at": now},
        public_note=public_note
        or _("Your report %(ticket)s is not a flood-control matter; it was passed to %(to)s.")
        % {"ticket": report.ticket, "to": to},
        internal_note=internal_note,
        data={"to": to[:100]},
        audit_note=to[:100],
    )


def report_reject(
    *,
    actor,
    report: Report,
    reason: str,
    public_note: str = "",
    now: datetime | None = None,
) -> Report:
    """False or abusive: closed as rejected, with the reason recorded (required)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for rejecting the report.")]})
    return _handle(
        report,
        State.REJECTED,
        StepKind.REJECT,
        actor=actor,
        now=now,
        authorize=_require_triage,
        action="report.reject",
        acknowledge=True,
        changes={"closed_at": now},
        public_note=public_note,
        internal_note=reason,
        data={"reason": reason[:200]},
        audit_note=reason[:200],
    )


def report_reopen(*, actor, report: Report, reason: str, now: datetime | None = None) -> Report:
    """New evidence: an officer reopens a finished report."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is reopened.")]})
    with transaction.atomic():
        lock(report)
        _require_office(actor, report)
        _reopen(report, actor=actor, now=now, kind=StepKind.REOPEN, internal_note=reason)
    return report


def _reopen(report: Report, *, actor, now: datetime, kind: str, internal_note: str) -> None:
    _advance(
        report,
        State.REOPENED,
        kind,
        actor=actor,
        now=now,
        action="report.reopen",
        acknowledge=False,
        changes={
            "reopened_at": now,
            "reopen_count": report.reopen_count + 1,
            "resolved_at": None,
            "closed_at": None,
            "escalation_level": 0,
            "due_at": workflow.due_at(report.priority, now),
        },
        default_note=True,
        internal_note=internal_note,
    )
    publish_on_commit(
        "report.reopened",
        report_id=report.pk,
        account_id=report.account_id,
        by_citizen=kind == StepKind.CITIZEN_REJECT,
    )


def report_citizen_reject_closure(
    *, actor, report: Report, reason: str = "", now: datetime | None = None
) -> Report:
    """The reporter says it is not dealt with: reopen, and 督办 to the duty leader.

    A citizen may dispute their own report, or the report theirs was merged into, within
    REPORT_REOPEN_WINDOW_HOURS of its resolution; whatever came before (a rating, a thank-you)
    does not matter."""
    now = now or timezone.now()
    with transaction.atomic():
        lock(report)
        if isinstance(actor, Citizen):
            if not owns_family(actor, report):
                raise denied()
            finished = report.resolved_at or report.closed_at
            if finished and finished < now - workflow.reopen_window():
                raise IllegalTransition(_("The time to dispute this report has passed."))
        else:  # a duty officer recording what the reporter said on the phone (回访)
            _require(actor, P.REPORTS_CLOSE, report)
        if report.state not in (State.RESOLVED, State.CLOSED):
            raise IllegalTransition(_("Only a resolved or closed report can be disputed."))
        _reopen(
            report,
            actor=actor,
            now=now,
            kind=StepKind.CITIZEN_REJECT,
            internal_note=(reason or "").strip()[:1000],
        )
        _supervise(
            report,
            actor=actor,
            now=now,
            reason=_("The reporter rejected the closure."),
            automatic=False,
        )
    return report


def report_escalate(
    *,
    actor,
    report: Report,
    reason: str,
    emergency: bool = False,
    public_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Emergency (P0, 110/119 hand-off, duty leader alerted) or 督办 one level up."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is escalated.")]})
    with transaction.atomic():
        lock(report)
        _require(actor, P.REPORTS_ESCALATE, report)
        if emergency:
            level = max(report.escalation_level, 1)
            _advance(
                report,
                State.ESCALATED,
                StepKind.ESCALATE,
                actor=actor,
                now=now,
                action="report.escalate",
                acknowledge=True,
                changes={
                    "priority": Priority.P0,
                    "due_at": min(
                        report.due_at, workflow.due_at(Priority.P0, _clock_start(report))
                    ),
                    "escalation_level": level,
                    "escalated_at": now,
                },
                public_note=public_note,
                internal_note=reason,
                data={"level": level, "emergency": True},
            )
            targets = _publish_escalated(report, now, emergency=True, automatic=False)
            _notify_escalated(report, targets, reason=reason, now=now)
        else:
            _supervise(report, actor=actor, now=now, reason=reason, automatic=False)
    return report


def _supervise(
    report: Report,
    *,
    actor,
    now: datetime,
    reason: str,
    automatic: bool,
    deadline: str = "",
) -> None:
    if report.state in workflow.DONE_STATES:
        raise IllegalTransition(_("A finished report cannot be escalated."))
    if report.escalation_level >= workflow.MAX_ESCALATION_LEVEL:
        raise IllegalTransition(_("The report is already with the office leader."))
    before = snapshot(report, AUDIT_FIELDS)
    report.escalation_level += 1
    report.escalated_at = now
    report.save()
    data = {"level": report.escalation_level, "automatic": automatic}
    if deadline:
        data["deadline"] = deadline
    step = _step(
        report,
        StepKind.SUPERVISE,
        actor=actor,
        from_state=report.state,
        internal_note=reason,
        data=data,
        at=now,
    )
    _audit(actor, "report.supervise", report, before, note=reason[:200])
    targets = _publish_escalated(report, now, emergency=False, automatic=automatic)
    step.data["notified"] = targets
    step.save(update_fields=["data"])
    _notify_escalated(report, targets, reason=reason, now=now)


def _notify_escalated(report: Report, targets: list[int], *, reason: str, now: datetime) -> None:
    """Tell the people an escalation reaches: on their consoles (banner, sound, badge) and, since
    it is urgent, by SMS / 政务微信 / e-mail. No personal data: ticket, hazard, county, level."""
    notification_send(
        recipients=targets,
        kind="report.escalated",
        title=_("%(level)s: %(ticket)s %(hazard)s")
        % {
            "level": report.escalation_label,
            "ticket": report.ticket,
            "hazard": report.get_hazard_display(),
        },
        body=_("%(priority)s · %(county)s · %(reason)s")
        % {
            "priority": report.priority,
            "county": report.county_name or _("location unknown"),
            "reason": reason,
        },
        url=reverse("reports:detail", args=[report.ticket]),
        urgent=True,
        account=report.account,
        now=now,
    )


def _publish_escalated(
    report: Report, now: datetime, *, emergency: bool, automatic: bool
) -> list[int]:
    targets = escalation_targets(account=report.account, level=report.escalation_level, at=now)
    publish_on_commit(
        "report.escalated",
        report_id=report.pk,
        ticket=report.ticket,
        account_id=report.account_id,
        level=report.escalation_level,
        emergency=emergency,
        automatic=automatic,
        notify_user_ids=targets,
        unit_id=report.assigned_unit_id,
    )
    return targets


def _overdue_reason(report: Report, now: datetime, emergency: bool) -> tuple[str, str] | None:
    """Why ``report`` must go one level up now (which deadline, in words), or None."""
    if report.state not in workflow.OPEN_STATES:
        return None
    if report.escalation_level >= workflow.MAX_ESCALATION_LEVEL:
        return None
    if report.first_ack_at is None:
        ack = workflow.ack_level_due(
            received=report.created_at, priority=report.priority, now=now, emergency=emergency
        )
        if ack > report.escalation_level:
            limit = workflow.ack_deadline(report.priority, emergency=emergency)
            return "ack", _(
                "Not acknowledged: nobody on the duty desk has taken it up within %(limit)s."
            ) % {"limit": workflow.describe_duration(limit)}
    handling = workflow.handling_level_due(due=report.due_at, priority=report.priority, now=now)
    if handling > report.escalation_level:
        return "handling", _("Overdue: the deadline %(due)s has passed.") % {
            "due": timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M")
        }
    return None


def reports_escalate_overdue(*, now: datetime | None = None) -> list[tuple[str, int]]:
    """Move every open report up as far as its missed deadlines say (run by reports_tick).

    Not acknowledged: the duty leader at the acknowledgement deadline of its priority (shorter
    in emergency mode), the office leader at twice it. Not finished: the duty leader at the
    handling deadline, the office leader one more deadline period later. Each level is one
    督办 step, each notifies. Idempotent: running it twice at the same moment escalates
    nothing more.
    """
    now = now or timezone.now()
    done: list[tuple[str, int]] = []
    shortest = min(
        workflow.ack_deadline(p, emergency=e) for p in Priority.values for e in (False, True)
    )
    candidates = (
        Report.objects.filter(
            state__in=workflow.OPEN_STATES,
            escalation_level__lt=workflow.MAX_ESCALATION_LEVEL,
        )
        .filter(Q(due_at__lt=now) | Q(first_ack_at__isnull=True, created_at__lte=now - shortest))
        .values_list("pk", flat=True)
    )
    emergency: dict[int, bool] = {}
    for pk in list(candidates):
        with transaction.atomic():
            report = Report.objects.select_related("account").get(pk=pk)
            lock(report)
            if report.account_id not in emergency:
                emergency[report.account_id] = emergency_current(report.account) is not None
            while why := _overdue_reason(report, now, emergency[report.account_id]):
                deadline, reason = why
                _supervise(
                    report,
                    actor=SYSTEM,
                    now=now,
                    reason=reason,
                    automatic=True,
                    deadline=deadline,
                )
                done.append((report.ticket, report.escalation_level))
    return done
