"""What a reporter is told of each step: default notes (officers may write their own instead),
and the one place the told text is decided.

A step's ``public_note`` is exactly what the reporter is told: the status page and the console's
timeline show it, and the messaging layer (``report.step_added``) sends it unchanged. The record is
evidence (of what the office said, and for the contractor's evaluation), so it is composed once,
when the step is written, never again at sending time. The app that messages reporters composes it
from the office's templates (``register_composer``, from its ``AppConfig.ready()``: it sits above
this app, which cannot import it); without one the note is told as written.
"""

from __future__ import annotations

from collections.abc import Callable

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


# (report, step kind, from state, to state, note) → the text the reporter is told ("" for nothing).
Composer = Callable[[object, str, str, str, str], str]
_composer: list[Composer] = []


def register_composer(composer: Composer) -> None:
    _composer[:] = [composer]


def told(report, *, kind: str, from_state: str, to_state: str, note: str) -> str:
    note = (note or "").strip()
    if not _composer:
        return note
    return (_composer[0](report, str(kind), str(from_state), str(to_state), note) or "").strip()


def merged_progress(report, parent, text: str) -> str:
    """A step of the surviving report as the reporter of a report merged into it reads it (in
    WeChat and on their status page)."""
    return _("[Your report %(ticket)s, handled together with %(parent)s] %(text)s") % {
        "ticket": report.ticket,
        "parent": parent.ticket,
        "text": text,
    }
