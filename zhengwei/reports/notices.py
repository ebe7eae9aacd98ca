"""Default notes to the reporter, one per step (officers may write their own instead).

Each note is what the citizen reads in WeChat or on the status page, so it names the ticket and the
next thing that will happen. The messaging layer listens to ``report.step_added`` and sends the
step's ``public_note``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhengwei.reports import workflow
from zhengwei.reports.models import Priority, StepKind


def received(report) -> str:
    if report.priority == Priority.P0:
        next_step = _("A duty officer is being alerted now.")
    else:
        next_step = _("A duty officer will check it and reply within %(time)s.") % {
            "time": workflow.describe_duration(workflow.deadline(report.priority))
        }
    text = _("We have received your report. Ticket %(ticket)s. %(next)s") % {
        "ticket": report.ticket,
        "next": next_step,
    }
    if report.lives_in_danger:
        text += " " + _("If lives are in danger, call 110 or 119 now.")
    return text


DEFAULTS = {
    StepKind.ACK: lambda r: (
        _("The duty officer of the flood-control office has taken up your report %(ticket)s.")
        % {"ticket": r.ticket}
    ),
    StepKind.DISPATCH: lambda r: (
        _("Your report %(ticket)s has been passed to %(unit)s.")
        % {"ticket": r.ticket, "unit": r.assigned_unit}
    ),
    StepKind.SIGN: lambda r: (
        _("%(unit)s has taken charge of your report %(ticket)s.")
        % {"ticket": r.ticket, "unit": r.assigned_unit}
    ),
    StepKind.RESOLVE: lambda r: (
        _("Your report %(ticket)s has been dealt with. If it is not, tell us on the status page.")
        % {"ticket": r.ticket}
    ),
    StepKind.CLOSE: lambda r: (
        _("Your report %(ticket)s is closed. Thank you.") % {"ticket": r.ticket}
    ),
    StepKind.DUPLICATE: lambda r: (
        _(
            "Your report %(ticket)s concerns the same event as %(parent)s, which is being handled; "
            "you will be told of its progress."
        )
        % {"ticket": r.ticket, "parent": r.duplicate_of}
    ),
    StepKind.MERGE: lambda r: (
        _("Other people reported the same event; their reports were joined to yours (%(ticket)s).")
        % {"ticket": r.ticket}
    ),
    StepKind.REOPEN: lambda r: (
        _("Your report %(ticket)s has been reopened.") % {"ticket": r.ticket}
    ),
    StepKind.CITIZEN_REJECT: lambda r: (
        _("Your report %(ticket)s has been reopened and passed to the duty leader for supervision.")
        % {"ticket": r.ticket}
    ),
}


def default(kind: str, report) -> str:
    make = DEFAULTS.get(kind)
    return make(report) if make else ""
