"""Actions of the inbound WeChat app (registered in the one policy, zhengwei.access.policy)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy

from zhengwei.access.policy import OFFICE_ROLES, register
from zhengwei.audit.labels import register_actions
from zhengwei.orgs.models import OperationModel, OrgKind, Role

MESSAGES_VIEW = "wechat.messages.view"
REPLIES_VIEW = "wechat.replies.view"
REPLIES_MANAGE = "wechat.replies.manage"
REJECTIONS_VIEW = "wechat.rejections.view"

# Office staff supervise; the contractor's operator and editors answer citizens. Coordinates, photo
# URLs and media ids are masked unless the viewer also passes personal_data.view.
register(MESSAGES_VIEW, OFFICE_ROLES | {Role.OPERATOR, Role.EDITOR})
register(REPLIES_VIEW, OFFICE_ROLES | {Role.OPERATOR, Role.EDITOR, Role.PROJECT_MANAGER})
# Replies are operations work: the operator role, held by the contractor in the delegated model
# and by office staff in the independent one (RoleRule decides who may hold it).
register(REPLIES_MANAGE, {Role.OPERATOR})
# Refused callback requests (bad signatures, stale timestamps…): what an administrator needs to
# find a wrong Token or EncodingAESKey, and what an auditor reviews.
register(REJECTIONS_VIEW, {Role.SYSTEM_ADMIN, Role.AUDITOR})

# --- what speaks for the office (keyword / menu-click replies, the menu) -----------------------
# What the account says by itself speaks for the government, like a reply to one citizen: a
# contractor member drafts it, the office approves it, level by level (CONTENT_APPROVAL_CHAIN per
# operation model). Approving is personal-data-free, but the policy still never lets a contractor
# member pass it: ``speaks_for_office`` checks the organisation, whatever role was granted.
CHANGES_VIEW = "wechat.changes.view"
CHANGES_APPROVE = "wechat.changes.approve"
# In emergency mode (declared on the duty console or in the newsroom) the duty leader or the office
# leader may approve a pending change in one step: the named fast track.
CHANGES_FAST_TRACK = "wechat.changes.fast_track"

register(
    CHANGES_VIEW,
    {
        Role.OFFICE_LEADER,
        Role.OFFICE_REVIEWER,
        Role.DUTY_LEADER,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
        Role.OPERATOR,
        Role.PROJECT_MANAGER,
    },
)
register(CHANGES_APPROVE, {Role.OFFICE_LEADER, Role.OFFICE_REVIEWER})
register(CHANGES_FAST_TRACK, {Role.OFFICE_LEADER, Role.DUTY_LEADER})
register_actions(
    {
        "content_change.submit": pgettext_lazy(
            "audit", "Submitted a change to the automatic replies or menu for approval"
        ),
        "content_change.approve": pgettext_lazy(
            "audit", "Approved a change to the automatic replies or menu"
        ),
        "content_change.fast_track": pgettext_lazy(
            "audit", "Approved a change to the automatic replies or menu on the fast track"
        ),
        "content_change.return": pgettext_lazy(
            "audit", "Returned a change to the automatic replies or menu"
        ),
        "content_change.withdraw": pgettext_lazy(
            "audit", "Withdrew a change to the automatic replies or menu"
        ),
        "content_change.applied": pgettext_lazy(
            "audit", "An approved change to the automatic replies or menu took effect"
        ),
    }
)

DEFAULT_CHAIN: dict[str, list[str]] = {
    OperationModel.DELEGATED: [Role.OFFICE_REVIEWER, Role.OFFICE_LEADER],
    OperationModel.COLLABORATIVE: [Role.OFFICE_REVIEWER],
    OperationModel.INDEPENDENT: [],
}


def approval_chain(account) -> list[str]:
    """The office roles that approve, level by level, under the account's operation model."""
    return chain_for(account.operation_model)


def chain_for(operation_model: str) -> list[str]:
    raw = settings.CONTENT_APPROVAL_CHAIN or ""
    chain = {k: list(v) for k, v in DEFAULT_CHAIN.items()}
    if raw:
        try:
            override = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"CONTENT_APPROVAL_CHAIN is not JSON: {exc}") from None
        for model, roles in (override or {}).items():
            if model not in OperationModel.values or not isinstance(roles, list):
                raise ImproperlyConfigured(f"CONTENT_APPROVAL_CHAIN: bad entry {model!r}")
            if not set(roles) <= OFFICE_ROLES:
                raise ImproperlyConfigured(
                    f"CONTENT_APPROVAL_CHAIN: {model} names a non-office role"
                )
            chain[model] = roles
    return chain[operation_model]


def speaks_for_office(user) -> bool:
    return getattr(user, "org_kind", None) != OrgKind.CONTRACTOR


def must_submit(user, account) -> bool:
    """A contractor member's change waits for the office when the model asks for approval."""
    return not speaks_for_office(user) and bool(approval_chain(account))
