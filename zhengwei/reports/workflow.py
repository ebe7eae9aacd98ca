"""The report state machine and deadline rules (pure: no database writes).

    received ─▶ triaged ─▶ dispatched ─▶ signed ─▶ contacted ─▶ in_progress ─▶ resolved ─▶ closed
       │           ├─▶ escalated (emergency: 110/119 hand-off, duty leader) ─▶ dispatched / resolved
       │           ├─▶ duplicate (→ parent)   ├─▶ referred (not ours)   └─▶ rejected (false; reason)
       └─ any closed state or resolved ─(reporter rejects / new evidence)─▶ reopened ─▶ 督办

Open311 ``status`` is ``closed`` for resolved and the closed states, ``open`` otherwise.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Hazard(models.TextChoices):
    WATERLOGGING = "waterlogging", gettext_lazy("Waterlogging")
    FLASH_FLOOD = "flash_flood", gettext_lazy("Flash flood")
    LANDSLIDE = "landslide", gettext_lazy("Landslide / debris flow")
    HOUSE_DAMAGE = "house_damage", gettext_lazy("House damaged or collapsed")
    PEOPLE_TRAPPED = "people_trapped", gettext_lazy("People trapped")
    ROAD_DAMAGE = "road_damage", gettext_lazy("Road or bridge damaged")
    OTHER = "other", gettext_lazy("Other")


class Priority(models.TextChoices):
    P0 = "P0", gettext_lazy("P0 · lives at risk")
    P1 = "P1", gettext_lazy("P1 · urgent")
    P2 = "P2", gettext_lazy("P2 · normal")
    P3 = "P3", gettext_lazy("P3 · complex")


class State(models.TextChoices):
    RECEIVED = "received", gettext_lazy("Received")
    TRIAGED = "triaged", gettext_lazy("Triaged")
    DISPATCHED = "dispatched", gettext_lazy("Dispatched")
    SIGNED = "signed", gettext_lazy("Signed for")
    CONTACTED = "contacted", gettext_lazy("Reporter contacted")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    RESOLVED = "resolved", gettext_lazy("Resolved")
    CLOSED = "closed", gettext_lazy("Closed")
    DUPLICATE = "duplicate", gettext_lazy("Duplicate")
    REFERRED = "referred", gettext_lazy("Referred elsewhere")
    REJECTED = "rejected", gettext_lazy("Rejected")
    ESCALATED = "escalated", gettext_lazy("Escalated (emergency)")
    REOPENED = "reopened", gettext_lazy("Reopened")


S = State

CLOSED_STATES = frozenset({S.CLOSED, S.DUPLICATE, S.REFERRED, S.REJECTED})
# The deadline clock stops here.
DONE_STATES = CLOSED_STATES | {S.RESOLVED}
OPEN_STATES = frozenset(set(S) - DONE_STATES)
# Honest exclusions from resolution and satisfaction rates (shown separately, never hidden).
EXCLUDED_STATES = frozenset({S.DUPLICATE, S.REFERRED, S.REJECTED})
# States in which a unit works on the report.
UNIT_STATES = frozenset({S.DISPATCHED, S.SIGNED, S.CONTACTED, S.IN_PROGRESS})

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.TRIAGED, S.ESCALATED, S.DUPLICATE, S.REFERRED, S.REJECTED}),
    S.TRIAGED: frozenset(
        {S.TRIAGED, S.DISPATCHED, S.ESCALATED, S.RESOLVED, S.DUPLICATE, S.REFERRED, S.REJECTED}
    ),
    S.ESCALATED: frozenset(
        {S.DISPATCHED, S.SIGNED, S.IN_PROGRESS, S.RESOLVED, S.DUPLICATE, S.REFERRED, S.REJECTED}
    ),
    S.DISPATCHED: frozenset({S.DISPATCHED, S.SIGNED, S.ESCALATED}),
    S.SIGNED: frozenset({S.CONTACTED, S.IN_PROGRESS, S.RESOLVED, S.ESCALATED}),
    S.CONTACTED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.ESCALATED}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.RESOLVED, S.ESCALATED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.DUPLICATE: frozenset({S.REOPENED}),
    S.REFERRED: frozenset({S.REOPENED}),
    S.REJECTED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset(
        {S.TRIAGED, S.DISPATCHED, S.ESCALATED, S.RESOLVED, S.DUPLICATE, S.REFERRED, S.REJECTED}
    ),
}


class IllegalTransition(ValidationError):
    """Raised for a move the state machine does not allow."""


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def check_move(from_state: str, to_state: str) -> None:
    if not can_move(from_state, to_state):
        raise IllegalTransition(
            _("A report that is “%(from)s” cannot become “%(to)s”.")
            % {"from": State(from_state).label, "to": State(to_state).label}
        )


def open311_status(state: str) -> str:
    return "closed" if state in DONE_STATES else "open"


# What the public feed (Open311 ``status_notes``) says of a report in each state: written for the
# public, fixed per state, never the reply sent to the citizen (which may name them or quote
# what they wrote).
PUBLIC_NOTES = {
    S.RECEIVED: gettext_lazy("Received by the duty office."),
    S.TRIAGED: gettext_lazy("Checked by the duty office; being arranged."),
    S.DISPATCHED: gettext_lazy("Passed to the local unit for handling."),
    S.SIGNED: gettext_lazy("The local unit has taken it on."),
    S.CONTACTED: gettext_lazy("The local unit is in touch with the reporter."),
    S.IN_PROGRESS: gettext_lazy("Being handled on site."),
    S.RESOLVED: gettext_lazy("Handled."),
    S.CLOSED: gettext_lazy("Handled and closed."),
    S.DUPLICATE: gettext_lazy("Merged with another report of the same event."),
    S.REFERRED: gettext_lazy("Passed to the department responsible."),
    S.REJECTED: gettext_lazy("Closed after checking."),
    S.ESCALATED: gettext_lazy("Emergency response under way."),
    S.REOPENED: gettext_lazy("Reopened for further handling."),
}


def public_note(state: str) -> str:
    return str(PUBLIC_NOTES.get(state, ""))


# --- Deadlines and priorities ----------------------------------------------------------------
DEFAULT_DEADLINES_MINUTES = {"P0": 120, "P1": 24 * 60, "P2": 7 * 24 * 60, "P3": 15 * 24 * 60}

# Before a duty officer triages: the hazard sets a provisional priority; lives in danger → P0.
PROVISIONAL_PRIORITY = {
    Hazard.PEOPLE_TRAPPED: Priority.P0,
    Hazard.FLASH_FLOOD: Priority.P1,
    Hazard.LANDSLIDE: Priority.P1,
    Hazard.HOUSE_DAMAGE: Priority.P1,
    Hazard.WATERLOGGING: Priority.P2,
    Hazard.ROAD_DAMAGE: Priority.P2,
    Hazard.OTHER: Priority.P2,
}


def provisional_priority(hazard: str, lives_in_danger: bool) -> str:
    if lives_in_danger:
        return Priority.P0
    return PROVISIONAL_PRIORITY.get(hazard, Priority.P2)


def deadline(priority: str) -> timedelta:
    minutes = {**DEFAULT_DEADLINES_MINUTES, **settings.REPORT_DEADLINES}
    return timedelta(minutes=minutes[priority])


def due_at(priority: str, start: datetime) -> datetime:
    return start + deadline(priority)


def escalation_due(level: int, due: datetime, priority: str) -> datetime:
    """When an overdue report moves up to ``level + 1``: at the deadline, then once more per period."""
    return due + deadline(priority) * level


MAX_ESCALATION_LEVEL = 2


def reopen_window() -> timedelta:
    """How long after resolution the reporter's 不满意 reopens the report."""
    return timedelta(hours=settings.REPORT_REOPEN_WINDOW_HOURS)


DEFAULT_ACK_MINUTES = {"P0": 2, "P1": 10, "P2": 30, "P3": 60}
DEFAULT_ACK_EMERGENCY_MINUTES = {"P0": 1, "P1": 3, "P2": 10, "P3": 20}


def ack_minutes(*, emergency: bool = False) -> dict[str, int]:
    """Minutes per priority a report may wait for a duty officer (shorter in emergency mode)."""
    if emergency:
        return {**DEFAULT_ACK_EMERGENCY_MINUTES, **settings.REPORT_ACK_EMERGENCY_DEADLINES}
    return {**DEFAULT_ACK_MINUTES, **settings.REPORT_ACK_DEADLINES}


def ack_deadline(priority: str, *, emergency: bool = False) -> timedelta:
    """How long a report may wait for a duty officer to take it up (shorter in emergency mode)."""
    return timedelta(minutes=ack_minutes(emergency=emergency)[priority])


def ack_level_due(
    *, received: datetime, priority: str, now: datetime, emergency: bool = False
) -> int:
    """The level an unacknowledged report should have reached by ``now``: the duty leader at the
    acknowledgement deadline, the office leader at twice it."""
    step = ack_deadline(priority, emergency=emergency)
    return min(MAX_ESCALATION_LEVEL, int((now - received) // step)) if now >= received else 0


def handling_level_due(*, due: datetime, priority: str, now: datetime) -> int:
    """The level an unfinished report should have reached by ``now`` (its handling deadline)."""
    level = 0
    while level < MAX_ESCALATION_LEVEL and now >= escalation_due(level, due, priority):
        level += 1
    return level


ESCALATION_LEVEL_LABELS = {
    0: gettext_lazy("With the duty officer"),
    1: gettext_lazy("Escalated to the duty leader"),
    2: gettext_lazy("Escalated to the office leader"),
}


def escalation_label(level: int) -> str:
    return str(ESCALATION_LEVEL_LABELS.get(level, ESCALATION_LEVEL_LABELS[MAX_ESCALATION_LEVEL]))


def describe_duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0 and minutes >= 24 * 60 and minutes != 24 * 60:
        return _("%(n)d days") % {"n": minutes // (24 * 60)}
    if minutes % 60 == 0:
        return _("%(n)d hours") % {"n": minutes // 60}
    return _("%(n)d minutes") % {"n": minutes}
