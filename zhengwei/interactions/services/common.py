"""What the interaction services share: the event names, limits and the display names of
the citizen and the system."""

from __future__ import annotations

import logging

from zhengwei.reports import services as reports_services

log = logging.getLogger("zhengwei.interactions")

CONVERSATION_EVENTS = (
    "conversation.received",
    "conversation.classified",
    "conversation.assigned",
    "conversation.replied",
    "conversation.resolved",
    "conversation.reopened",
    "conversation.converted",
    "conversation.escalated",
    "reply_draft.submitted",
    "reply_draft.approved",
    "reply_draft.returned",
    "reply_draft.sent",
    "reply_draft.failed",
)
MAX_DRAFT_PHOTOS = 9
MAX_DRAFT_TEXTS = 30
CITIZEN = "市民"
SYSTEM = "系统"


# Raised by intake (reports' report_receive); chat words it for the citizen.
RateLimited = reports_services.RateLimited
