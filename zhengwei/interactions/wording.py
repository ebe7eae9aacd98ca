"""The texts citizens receive in chat: the 我报灾情 instructions and one template per report state.

Defaults are translated msgids (the interface language, Chinese); an office edits its own copy as
a ``ReplyTemplate`` row. Rendering never fails: unknown placeholders become empty.
"""

from __future__ import annotations

import string

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwei.interactions import conf
from zhengwei.reports import links, notices, workflow
from zhengwei.reports.models import Priority, StepKind
from zhengwei.reports.models import State as S

PLACEHOLDERS = (
    "ticket",
    "hazard",
    "unit",
    "deadline",
    "due",
    "next_step",
    "emergency",
    "status_url",
    "note",
)

# state → (default text, sent by default)
DEFAULTS = {
    S.RECEIVED: (
        gettext_lazy(
            "We have received your disaster report. Ticket {ticket}. {next_step} "
            "Follow it here: {status_url} {emergency}"
        ),
        True,
    ),
    S.TRIAGED: (
        gettext_lazy("Your report {ticket} has been checked by the duty officer. {note}"),
        False,
    ),
    S.DISPATCHED: (
        gettext_lazy(
            "Your report {ticket} has been passed to {unit}, which will deal with it by {due}. {note}"
        ),
        True,
    ),
    S.SIGNED: (gettext_lazy("{unit} has taken charge of your report {ticket}. {note}"), False),
    S.CONTACTED: (gettext_lazy("{note}"), True),
    S.IN_PROGRESS: (gettext_lazy("Work on your report {ticket} is under way. {note}"), True),
    S.RESOLVED: (
        gettext_lazy(
            "Your report {ticket} has been dealt with. {note} How satisfied are you? Reply with a "
            "number from 1 (not at all) to 5 (very). If it is not dealt with, reply 不满意."
        ),
        True,
    ),
    S.CLOSED: (gettext_lazy("Your report {ticket} is closed. Thank you. {note}"), False),
    S.DUPLICATE: (
        gettext_lazy(
            "Your report {ticket} concerns an event already reported; it is being handled together "
            "with it and you will be told of its progress. {note}"
        ),
        True,
    ),
    S.REFERRED: (
        gettext_lazy("Your report {ticket} is not a flood-control matter. {note}"),
        True,
    ),
    S.REJECTED: (gettext_lazy("Your report {ticket} could not be accepted. {note}"), True),
    S.ESCALATED: (
        gettext_lazy(
            "Your report {ticket} has been handed to the emergency services and the duty leader. "
            "If lives are in danger, call 110 or 119 now. {note}"
        ),
        True,
    ),
    S.REOPENED: (
        gettext_lazy(
            "Your report {ticket} has been reopened and passed to the duty leader for "
            "supervision. {note}"
        ),
        True,
    ),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def check_template(text: str) -> list[str]:
    """Problems with an edited template (unknown placeholders, unbalanced braces)."""
    problems = []
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return [_("Curly braces must come in pairs around a placeholder, e.g. {ticket}.")]
    for name in fields:
        if name not in PLACEHOLDERS:
            problems.append(_("Unknown placeholder {%(name)s}.") % {"name": name})
    return problems


def render(text: str, values: dict) -> str:
    try:
        out = string.Formatter().vformat(text, (), _Blank(values))
    except (ValueError, IndexError, KeyError, AttributeError):
        out = text
    return " ".join(out.split())[:600]


def values_for(report, *, note: str = "") -> dict:
    deadline = workflow.describe_duration(workflow.deadline(report.priority))
    if report.priority == Priority.P0:
        next_step = _("A duty officer is being alerted now.")
    else:
        next_step = _("A duty officer will check it and reply within %(time)s.") % {
            "time": deadline
        }
    return {
        "ticket": report.ticket,
        "hazard": report.get_hazard_display(),
        "unit": str(report.assigned_unit or _("the responsible unit")),
        "deadline": deadline,
        "due": timezone.localtime(report.due_at).strftime("%m-%d %H:%M"),
        "next_step": next_step,
        "emergency": _("If lives are in danger, call 110 or 119 now.")
        if report.lives_in_danger
        else "",
        "status_url": conf.absolute(links.status_path(report.ticket)),
        "note": note,
    }


def default_note(kind: str, report) -> str:
    """The note reports writes by itself for a step (a template replaces it, so it is not
    repeated); anything else in ``public_note`` is the officer's own words."""
    if kind == StepKind.RECEIVE:
        return notices.received(report)
    return notices.default(kind, report)


def instructions(h5_url: str) -> str:
    minutes = int(conf.chat_window().total_seconds() // 60)
    return _(
        "【我报灾情】1. Send your location (menu 「发送位置」 or + → Location). 2. Send photos "
        "of the scene (up to 9). 3. Describe what happened in text or voice; say if anyone is "
        "trapped. Then reply 确认 to submit, or 取消 to discard. What you send within %(minutes)d "
        "minutes becomes one report. Or fill in the form: %(url)s If lives are in danger, call "
        "110 or 119 now!"
    ) % {"minutes": minutes, "url": h5_url}


def location_received() -> str:
    return _(
        "Location received. Send photos and describe what happened, then reply 确认 to submit."
    )


def photos_received(count: str) -> str:
    return _(
        "%(count)s photo(s) received. Describe what happened in text or voice, then reply 确认 "
        "to submit."
    ) % {"count": count or "1"}


def draft_empty() -> str:
    return _(
        "There is nothing to submit yet: send your location, photos or a description first, then "
        "reply 确认."
    )


def draft_cancelled() -> str:
    return _("Your unsent report has been discarded. To report again, tap 「我报灾情」.")


def draft_limited() -> str:
    return _(
        "You have sent several reports in the last few minutes; this one was not submitted. If "
        "lives are in danger, call 110 or 119 now."
    )


def rating_thanks(rating: int) -> str:
    if rating <= 2:
        return _(
            "Thank you for your rating. We are sorry it was not better; if the problem is not "
            "dealt with, reply 不满意."
        )
    return _("Thank you for your rating.")


def already_rated() -> str:
    return _("This report has already been rated. Thank you.")


def rejection_received(ticket: str) -> str:
    return _(
        "We have your reply: report %(ticket)s is reopened and passed to the duty leader. We "
        "will deal with it again and tell you of the progress."
    ) % {"ticket": ticket}


def merged_notice(report, parent) -> str:
    return _(
        "Your report %(ticket)s concerns the same event as %(parent)s; they are handled together "
        "and you will be told of the progress."
    ) % {"ticket": report.ticket, "parent": parent.ticket}


def photos_refused(count: int, ticket: str) -> str:
    return _(
        "%(count)d of your photos could not be added to report %(ticket)s (not a JPEG, PNG or "
        "WebP photo, too large, or no longer available). Send them again if they matter."
    ) % {"count": count, "ticket": ticket}
