"""Who may do what in the 互动 inbox and with the replies to citizens (imported from ready()).

The delegated model's rule, in one place: the contractor's operator reads the inbox (phone numbers
masked, disaster messages hidden), classifies and drafts; a reply that speaks for the government
goes out only when an office member sends it or approves the draft. ``REPLY_SEND``,
``REPLY_APPROVE`` and ``INBOX_CONVERT`` are personal-data actions, so the policy never lets a
contractor member pass them, whatever role they hold.
"""

from __future__ import annotations

from zhengwei.access.policy import DUTY_ROLES, may, register
from zhengwei.orgs.models import OrgKind, Role

INBOX_VIEW = "interactions.inbox.view"
INBOX_HANDLE = "interactions.inbox.handle"
INBOX_ASSIGN = "interactions.inbox.assign"
INBOX_CONVERT = "interactions.inbox.convert"
REPLY_DRAFT = "interactions.reply.draft"
REPLY_SEND = "interactions.reply.send"
REPLY_APPROVE = "interactions.reply.approve"
TEMPLATES_VIEW = "interactions.templates.view"
TEMPLATES_MANAGE = "interactions.templates.manage"

DUTY = DUTY_ROLES
OFFICE_REPLIERS = DUTY | {Role.OFFICE_LEADER}

register(
    INBOX_VIEW,
    OFFICE_REPLIERS | {Role.OFFICE_REVIEWER, Role.AUDITOR, Role.OPERATOR, Role.PROJECT_MANAGER},
)
register(INBOX_HANDLE, OFFICE_REPLIERS | {Role.OFFICE_REVIEWER, Role.OPERATOR})
register(INBOX_ASSIGN, OFFICE_REPLIERS | {Role.PROJECT_MANAGER})
register(INBOX_CONVERT, DUTY, personal_data=True)
register(REPLY_DRAFT, OFFICE_REPLIERS | {Role.OFFICE_REVIEWER, Role.OPERATOR})
register(REPLY_SEND, OFFICE_REPLIERS, personal_data=True)
register(REPLY_APPROVE, OFFICE_REPLIERS | {Role.OFFICE_REVIEWER}, personal_data=True)
register(TEMPLATES_VIEW, OFFICE_REPLIERS | {Role.OFFICE_REVIEWER, Role.AUDITOR, Role.SYSTEM_ADMIN})
register(TEMPLATES_MANAGE, {Role.OFFICE_LEADER, Role.DUTY_LEADER})


def speaks_for_office(user, conversation, action: str) -> bool:
    """Office members holding ``action`` (send, or approve) speak for the government; nobody
    else does, whatever role they hold."""
    return user.org_kind != OrgKind.CONTRACTOR and may(user, action, conversation)


def conversation_visible(user, conversation) -> bool:
    """Disaster conversations, and those that became reports, stay with the office: they hold
    where a citizen is and what happened to them (行踪轨迹, PIPL art. 28)."""
    if getattr(user, "org_kind", None) == OrgKind.CONTRACTOR:
        return conversation.effective_category != "disaster" and conversation.state != "converted"
    return True
