"""Deadlines: overdue conversations escalate."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.audit.services import audit_record
from zhengwei.interactions import conf
from zhengwei.interactions.models import (
    Category,
    Conversation,
    ConversationState,
    StepKind,
)
from zhengwei.interactions.services.common import SYSTEM
from zhengwei.interactions.services.conversations import _conv_step, _publish
from zhengwei.lib.db import lock
from zhengwei.notify.services import notification_send
from zhengwei.orgs.selectors import escalation_targets

# A citizen who reports danger or complains waits on the phone, not on the console: these go out
# by SMS / 政务微信 / e-mail too, as does anything that reaches the office leader.
URGENT_CATEGORIES = {Category.DISASTER, Category.COMPLAINT}


def _target_level(conversation: Conversation, now: datetime) -> tuple[int, str]:
    category = conversation.effective_category
    if conversation.first_response_at is None:
        which, due = "first_response", conversation.first_response_due
    else:
        which, due = "resolution", conversation.resolution_due
    if now <= due:
        return 0, which
    period = conf.deadline(category, which)
    return min(2, 1 + int((now - due) / period)), which


def conversations_escalate_overdue(*, now=None) -> list[tuple[int, int]]:
    """Move overdue open conversations up: level 1 (duty leader) at the first-response or
    resolution deadline, level 2 (office leader) one deadline period later. Idempotent."""
    now = now or timezone.now()
    done = []
    candidates = Conversation.objects.filter(
        state__in=[ConversationState.NEW, ConversationState.OPEN], escalation_level__lt=2
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            conversation = Conversation.objects.select_related("account").get(pk=pk)
            lock(conversation)
            level, which = _target_level(conversation, now)
            if level <= conversation.escalation_level:
                continue
            conversation.escalation_level = level
            conversation.escalated_at = now
            conversation.save()
            targets = escalation_targets(account=conversation.account, level=level, at=now)
            _conv_step(
                conversation,
                StepKind.ESCALATED,
                actor=SYSTEM,
                note=_("Overdue: the %(which)s deadline has passed.")
                % {"which": _("first-response") if which == "first_response" else _("resolution")},
                data={"level": level, "deadline": which, "notify": targets},
                at=now,
            )
            audit_record(
                actor_name=SYSTEM,
                action="conversation.escalate",
                obj=conversation,
                after={"level": level, "deadline": which},
            )
            _publish("conversation.escalated", conversation, level=level, notify_user_ids=targets)
            _notify(conversation, targets, level=level, which=which, now=now)
            done.append((conversation.pk, level))
    return done


def _notify(
    conversation: Conversation, targets: list[int], *, level: int, which: str, now: datetime
) -> None:
    """Tell the people the conversation now rests with. No citizen's words or openid: the title
    and body leave the platform (SMS, 政务微信), so they name the case, its class and the deadline."""
    category = conversation.effective_category
    notification_send(
        recipients=targets,
        kind="conversation.escalated",
        title=_("%(level)s: message #%(number)s (%(category)s)")
        % {
            "level": _("Escalated to the duty leader")
            if level <= 1
            else _("Escalated to the office leader"),
            "number": conversation.pk,
            "category": Category(category).label,
        },
        body=_("The %(which)s deadline passed at %(due)s with no answer from the office.")
        % {
            "which": _("first-response") if which == "first_response" else _("resolution"),
            "due": timezone.localtime(
                conversation.first_response_due
                if which == "first_response"
                else conversation.resolution_due
            ).strftime("%m-%d %H:%M"),
        },
        url=reverse("interactions:conversation", args=[conversation.pk]),
        urgent=level >= 2 or category in URGENT_CATEGORIES,
        account=conversation.account,
        now=now,
    )
