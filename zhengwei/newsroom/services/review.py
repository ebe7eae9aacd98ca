"""The review chain: submit, approve, return; findings confirmed or dismissed; overdue steps
escalated. Each level is its own ReviewStep row (who, when, outcome, comment, the revision)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.newsroom import policy as P
from zhengwei.newsroom import workflow
from zhengwei.newsroom.chain import Level, chain_for
from zhengwei.newsroom.models import (
    Article,
    ArticleState,
    ChainMode,
    Emergency,
    Finding,
    FindingState,
    ReviewStep,
    StepState,
)
from zhengwei.newsroom.services.common import audit, blocking_findings, refuse, require
from zhengwei.orgs.models import User

AUDIT_FIELDS = ["state", "revision", "approved_revision"]


def _mode(article: Article) -> str:
    emergency = Emergency.objects.filter(account=article.account, ended_at__isnull=True).exists()
    return ChainMode.EMERGENCY if (emergency or article.emergency) else ChainMode.NORMAL


def _open_step(article: Article, level: Level, *, round: int, mode: str, now: datetime):
    due = now + timedelta(minutes=level.time_limit_minutes) if level.time_limit_minutes else None
    step = ReviewStep.objects.create(
        article=article,
        round=round,
        order=level.order,
        name=level.name,
        role=level.role,
        mode=mode,
        revision_id=article.revision_id,
        started_at=now,
        due_at=due,
        escalate_to=level.escalate_to,
    )
    publish_on_commit(
        "review.step_opened",
        article_id=article.pk,
        step_id=step.pk,
        account_id=article.account_id,
        role=level.role,
        name=level.name,
    )
    return step


def article_submit(*, actor: User, article: Article, note: str = "") -> ReviewStep:
    """Send the current revision into review: a new round from the chain's first level."""
    require(actor, P.ARTICLE_WRITE, article)
    with transaction.atomic():
        lock(article)
        workflow.move(article, ArticleState.IN_REVIEW, ArticleState)
        now = timezone.now()
        mode = _mode(article)
        levels = chain_for(article.account, mode)
        last = article.steps.aggregate(r=Max("round"))["r"] or 0
        article.submitted_at = article.submitted_at or now
        article.save(update_fields=["state", "submitted_at"])
        step = _open_step(article, levels[0], round=last + 1, mode=mode, now=now)
        audit(actor, "newsroom.article.submit", article, fields=AUDIT_FIELDS, note=note[:200])
        publish_on_commit("article.submitted", article_id=article.pk, account_id=article.account_id)
    return step


def _decidable(actor, step: ReviewStep) -> Article:
    article = lock(step.article)
    step.refresh_from_db()
    if step.state != StepState.PENDING or article.state != ArticleState.IN_REVIEW:
        raise refuse(_("This review step is already decided."))
    if step.revision_id != article.revision_id:
        raise refuse(_("The article changed since this step began."))
    if not P.may_decide_step(actor, step):
        raise denied()
    return article


def review_approve(*, actor: User, step: ReviewStep, comment: str = "") -> ReviewStep:
    """Approve one level. Nobody approves two levels of one round; the last level cannot
    approve while a serious finding on the revision is unresolved."""
    require(actor, P.REVIEW, step.article)
    with transaction.atomic():
        article = _decidable(actor, step)
        if (
            ReviewStep.objects.filter(article=article, round=step.round, actor=actor)
            .exclude(pk=step.pk)
            .exists()
        ):
            raise refuse(_("One person cannot approve two levels of the same review."))
        levels = chain_for(article.account, step.mode)
        following = [lv for lv in levels if lv.order > step.order]
        if not following and blocking_findings(article).exists():
            raise refuse(_("Serious findings are unresolved: correct them or dismiss them first."))
        now = timezone.now()
        workflow.move(step, StepState.APPROVED, StepState)
        step.actor, step.decided_at, step.comment = actor, now, (comment or "").strip()
        step.save(update_fields=["state", "actor", "decided_at", "comment"])
        if following:
            _open_step(article, following[0], round=step.round, mode=step.mode, now=now)
        else:
            workflow.move(article, ArticleState.APPROVED, ArticleState)
            article.approved_revision_id = article.revision_id
            article.approved_at = now
            article.save(update_fields=["state", "approved_revision", "approved_at"])
            publish_on_commit(
                "article.approved", article_id=article.pk, account_id=article.account_id
            )
        audit(actor, "newsroom.review.approve", article, fields=AUDIT_FIELDS, note=step.name)
    return step


def review_return(*, actor: User, step: ReviewStep, reason: str) -> ReviewStep:
    """Return the article to its writer, with a reason (required)."""
    require(actor, P.REVIEW, step.article)
    if not (reason or "").strip():
        raise refuse(_("Returning needs a reason."))
    with transaction.atomic():
        article = _decidable(actor, step)
        workflow.move(step, StepState.RETURNED, StepState)
        step.actor, step.decided_at, step.comment = actor, timezone.now(), reason.strip()
        step.save(update_fields=["state", "actor", "decided_at", "comment"])
        workflow.move(article, ArticleState.RETURNED, ArticleState)
        article.save(update_fields=["state"])
        audit(actor, "newsroom.review.return", article, fields=AUDIT_FIELDS, note=reason[:200])
        publish_on_commit(
            "article.returned",
            article_id=article.pk,
            account_id=article.account_id,
            writer_id=article.revision.created_by_id if article.revision else None,
            step_id=step.pk,
        )
    return step


def finding_decide(*, actor: User, finding: Finding, confirmed: bool) -> Finding:
    """A reviewer confirms a finding as an error (counted) or dismisses it."""
    require(actor, P.FINDING_DECIDE, finding.article)
    with transaction.atomic():
        lock(finding)
        if finding.state != FindingState.OPEN:
            raise refuse(_("This finding is already decided."))
        finding.state = FindingState.CONFIRMED if confirmed else FindingState.DISMISSED
        finding.decided_by, finding.decided_at = actor, timezone.now()
        finding.save(update_fields=["state", "decided_by", "decided_at"])
        audit(
            actor,
            "newsroom.finding.confirm" if confirmed else "newsroom.finding.dismiss",
            finding.article,
            note=f"{finding.get_kind_display()}: {finding.text}"[:200],
        )
    return finding


def review_steps_escalate(*, now: datetime | None = None) -> list[int]:
    """Open steps past their time limit go to the escalation role as well (run by
    newsroom_tick); returns the escalated step ids."""
    now = now or timezone.now()
    done = []
    overdue = ReviewStep.objects.filter(
        state=StepState.PENDING, due_at__lt=now, escalated_at__isnull=True
    ).exclude(escalate_to="")
    for step in overdue.select_related("article"):
        with transaction.atomic():
            changed = ReviewStep.objects.filter(pk=step.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not changed:
                continue
            audit(
                "system",
                "newsroom.review.escalate",
                step.article,
                note=f"{step.name} → {step.get_escalate_to_display()}",
            )
            publish_on_commit(
                "review.step_escalated",
                article_id=step.article_id,
                step_id=step.pk,
                account_id=step.article.account_id,
                role=step.escalate_to,
            )
            done.append(step.pk)
    return done
