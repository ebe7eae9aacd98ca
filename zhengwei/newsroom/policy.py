"""Who may do what in the newsroom (registered in the one policy; imported from ready()).

The review chain names a role for each level (ChainStep.role); ``may_decide_step`` adds that
the person holds that role on the article's account (or the level's escalation role once the
step is escalated). Nothing here carries citizens' personal data, except the live-coverage
photos, which are the reporters' own and checked by the office before they are shown.
"""

from __future__ import annotations

from zhengwei.access.policy import OFFICE_ROLES, may, register, roles_of
from zhengwei.orgs.models import Role

VIEW = "newsroom.view"
TOPIC_PROPOSE = "newsroom.topic.propose"
TOPIC_DECIDE = "newsroom.topic.decide"
DIRECTION_ISSUE = "newsroom.direction.issue"
ARTICLE_WRITE = "newsroom.article.write"
REVIEW = "newsroom.review"
FINDING_DECIDE = "newsroom.finding.decide"
PUSH_MANAGE = "newsroom.push.manage"
PUSH_WITHDRAW = "newsroom.push.withdraw"
PREVIEW = "newsroom.preview"
COLUMNS_MANAGE = "newsroom.columns.manage"
WORDS_MANAGE = "newsroom.words.manage"
CHAIN_MANAGE = "newsroom.chain.manage"
EMERGENCY_DECLARE = "newsroom.emergency.declare"
LIVE_POST = "newsroom.live.post"
LIVE_CHECK = "newsroom.live.check"
METRICS_VIEW = "newsroom.metrics.view"

WRITERS = {Role.WRITER, Role.EDITOR, Role.PROJECT_MANAGER}
REVIEWERS = {Role.EDITOR, Role.OFFICE_REVIEWER, Role.OFFICE_LEADER, Role.DUTY_LEADER}
NEWSROOM = WRITERS | REVIEWERS | {Role.OPERATOR, Role.AUDITOR, Role.SYSTEM_ADMIN}
OFFICE_EDITORS = {Role.OFFICE_REVIEWER, Role.OFFICE_LEADER}

register(VIEW, NEWSROOM)
register(TOPIC_PROPOSE, WRITERS | OFFICE_EDITORS)
register(TOPIC_DECIDE, {Role.EDITOR, Role.PROJECT_MANAGER} | OFFICE_EDITORS)
register(DIRECTION_ISSUE, OFFICE_EDITORS)
register(ARTICLE_WRITE, WRITERS)
register(REVIEW, REVIEWERS)
register(FINDING_DECIDE, REVIEWERS)
register(PREVIEW, REVIEWERS | WRITERS | {Role.OPERATOR})
# Scheduling and publishing: the operator, after the editorial sign-off; the office leader.
register(PUSH_MANAGE, {Role.OPERATOR, Role.EDITOR, Role.OFFICE_LEADER})
register(PUSH_WITHDRAW, {Role.OFFICE_LEADER})
register(COLUMNS_MANAGE, OFFICE_EDITORS | {Role.PROJECT_MANAGER})
register(WORDS_MANAGE, OFFICE_EDITORS | {Role.SYSTEM_ADMIN})
register(CHAIN_MANAGE, {Role.OFFICE_LEADER, Role.SYSTEM_ADMIN})
register(EMERGENCY_DECLARE, {Role.OFFICE_LEADER, Role.DUTY_LEADER})
register(LIVE_POST, WRITERS | {Role.OPERATOR})
register(LIVE_CHECK, OFFICE_EDITORS | {Role.DUTY_LEADER, Role.DUTY_OFFICER})
register(
    METRICS_VIEW,
    (OFFICE_ROLES - {Role.DUTY_OFFICER}) | {Role.PROJECT_MANAGER, Role.EDITOR},
)


def may_decide_step(user, step) -> bool:
    """The person holds the step's role on the account (or, once escalated, the role it was
    escalated to), and did not write the revision under review (no one reviews their own)."""
    article = step.article
    if not may(user, REVIEW, article):
        return False
    roles = roles_of(user, article.account)
    allowed = {step.role} | (
        {step.escalate_to} if step.escalated_at and step.escalate_to else set()
    )
    if not roles & allowed:
        return False
    return step.revision.created_by_id != getattr(user, "pk", None)
