"""The newsroom's state machines (pure: no database writes).

Topic (报题):      proposed ─▶ accepted (becomes an assignment) │ declined (reason)
Article:          draft ─▶ in_review ─▶ approved ─▶ published ─▶ withdrawn
                    ▲          │            │
                    └ returned ◀┘            └─ edited after approval ─▶ draft (re-approval)
Review step:      pending ─▶ approved │ returned │ cancelled (the article was withdrawn from review)
Push (one WeChat push, ≤ 8 articles):
                  planned ─▶ scheduled ─▶ publishing ─▶ published ─▶ withdrawn
                     ▲           │             │            │
                     │           │             ▼            │ MASSSENDJOBFINISH: not sent
                     │           │          failed ◀────────┘ (its articles: approved again)
                     │           │             └─▶ publishing (retry)
                     └───────────┘ (unscheduled, or an article edited after approval)

An illegal move raises ``IllegalTransition``; services call ``move`` before they save.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class IllegalTransition(ValidationError):
    pass


class TopicState(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("Proposed")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    DECLINED = "declined", gettext_lazy("Declined")


class ArticleState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    IN_REVIEW = "in_review", gettext_lazy("In review")
    RETURNED = "returned", gettext_lazy("Returned")
    APPROVED = "approved", gettext_lazy("Approved")
    PUBLISHED = "published", gettext_lazy("Published")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


class StepState(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting")
    APPROVED = "approved", gettext_lazy("Approved")
    RETURNED = "returned", gettext_lazy("Returned")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class PushState(models.TextChoices):
    PLANNED = "planned", gettext_lazy("Planned")
    SCHEDULED = "scheduled", gettext_lazy("Scheduled")
    PUBLISHING = "publishing", gettext_lazy("Publishing")
    PUBLISHED = "published", gettext_lazy("Published")
    FAILED = "failed", gettext_lazy("Failed")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


A, T, S, P = ArticleState, TopicState, StepState, PushState

TRANSITIONS: dict[type, dict[str, set[str]]] = {
    TopicState: {T.PROPOSED: {T.ACCEPTED, T.DECLINED}, T.ACCEPTED: set(), T.DECLINED: set()},
    ArticleState: {
        A.DRAFT: {A.IN_REVIEW},
        A.RETURNED: {A.IN_REVIEW, A.DRAFT},
        A.IN_REVIEW: {A.RETURNED, A.APPROVED},
        A.APPROVED: {A.DRAFT, A.PUBLISHED},
        # WeChat's finish event may report after the fact that a mass send did not go out.
        A.PUBLISHED: {A.WITHDRAWN, A.APPROVED},
        A.WITHDRAWN: set(),
    },
    StepState: {
        S.PENDING: {S.APPROVED, S.RETURNED, S.CANCELLED},
        S.APPROVED: set(),
        S.RETURNED: set(),
        S.CANCELLED: set(),
    },
    PushState: {
        P.PLANNED: {P.SCHEDULED},
        P.SCHEDULED: {P.PLANNED, P.PUBLISHING},
        P.PUBLISHING: {P.PUBLISHED, P.FAILED},
        P.FAILED: {P.PUBLISHING, P.PLANNED},
        P.PUBLISHED: {P.WITHDRAWN, P.FAILED},
        P.WITHDRAWN: set(),
    },
}

# An article's text may change only in these states; in review it is locked.
EDITABLE = frozenset({A.DRAFT, A.RETURNED, A.APPROVED})


def can_move(kind: type, current: str, target: str) -> bool:
    return target in TRANSITIONS[kind].get(current, set())


def move(obj, target: str, kind: type, field: str = "state") -> str:
    """Set ``obj.<field>`` to ``target`` or raise IllegalTransition; returns the old state."""
    current = getattr(obj, field)
    if not can_move(kind, current, target):
        raise IllegalTransition(
            _("%(obj)s cannot go from %(a)s to %(b)s.")
            % {"obj": obj, "a": kind(current).label, "b": kind(target).label}
        )
    setattr(obj, field, target)
    return current
