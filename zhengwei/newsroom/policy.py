"""Who may do what in the newsroom (registered in the one policy; imported from ready()).

The review chain names a role for each level (ChainStep.role); ``may_decide_step`` adds that
the person holds that role on the article's account (or the level's escalation role once the
step is escalated). Nothing here carries citizens' personal data, except the live-coverage
photos, which are the reporters' own and checked by the office before they are shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengwei.access.policy import OFFICE_ROLES, may, register, roles_of
from zhengwei.audit.labels import register_actions
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

# What people read in the audit log instead of the codes.
register_actions(
    {
        "newsroom.article.images": _("Uploaded an offered article's images to WeChat"),
        "newsroom.chain.save": _("Changed the review chain"),
        "newsroom.column.save": _("Saved a column"),
        "newsroom.comment.add": _("Commented on an article"),
        "newsroom.comment.resolve": _("Resolved a comment on an article"),
        "newsroom.direction.issue": _("Issued a topic direction"),
        "newsroom.emergency.declare": _("Declared an emergency"),
        "newsroom.emergency.end": _("Ended an emergency"),
        "newsroom.emergency.switch_on": _("Switched to the emergency menu and replies"),
        "newsroom.emergency.switch_off": _("Restored the menu and replies after an emergency"),
        "newsroom.finding.confirm": _("Confirmed a finding of the checks"),
        "newsroom.finding.dismiss": _("Dismissed a finding of the checks"),
        "newsroom.image.upload": _("Uploaded an image to WeChat"),
        "newsroom.live.open": _("Opened a live coverage page"),
        "newsroom.live.post": _("Posted a live entry"),
        "newsroom.live.approve": _("Approved a live entry"),
        "newsroom.live.reject": _("Rejected a live entry"),
        "newsroom.push.articles": _("Set the articles of a push"),
        "newsroom.push.failed": _("A push failed"),
        "newsroom.push.plan": _("Planned a push"),
        "newsroom.push.published": _("A push was published"),
        "newsroom.push.retry": _("Retried a push"),
        "newsroom.push.schedule": _("Scheduled a push"),
        "newsroom.push.submit": _("Submitted a push to WeChat"),
        "newsroom.push.unschedule": _("Took a push off the schedule"),
        "newsroom.push.withdraw": _("Withdrew a published push"),
        "newsroom.review.approve": _("Approved a review step"),
        "newsroom.review.escalate": _("Escalated an overdue review step"),
        "newsroom.review.return": _("Returned an article to its writer"),
        "newsroom.roster.add": _("Rostered a reporter on site"),
        "newsroom.topic.accept": _("Accepted a topic"),
        "newsroom.topic.decline": _("Declined a topic"),
        "newsroom.topic.propose": _("Proposed a topic"),
        "newsroom.topic.update": _("Changed a topic"),
        "newsroom.words.add": _("Added to a word list"),
        "newsroom.words.delete": _("Removed from a word list"),
        "newsroom.article.preview": _("Sent an article to one's own WeChat as a preview"),
        "newsroom.preview.code": _("Asked for a code to bind one's WeChat for previews"),
        "newsroom.preview.bind": _("Bound a WeChat for previews"),
        "newsroom.preview.unbind": _("Unbound a WeChat for previews"),
    }
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
