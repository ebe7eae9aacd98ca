"""Planning: columns and cadence, office directions (选题指令), topics (报题) → assignments,
and pushes planned on the calendar with their articles (≤ 8)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.newsroom import policy as P
from zhengwei.newsroom import workflow
from zhengwei.newsroom.models import (
    MAX_ARTICLES_PER_PUSH,
    Article,
    ArticleState,
    Assignment,
    Column,
    Direction,
    Push,
    PushMode,
    PushState,
    Topic,
    TopicState,
)
from zhengwei.newsroom.services.common import audit, refuse, require
from zhengwei.orgs.models import User, WeChatAccount


def column_save(
    *,
    actor: User,
    account: WeChatAccount,
    name: str,
    per_week: int = 0,
    color: str = "#2f6fb0",
    is_active: bool = True,
    column: Column | None = None,
) -> Column:
    require(actor, P.COLUMNS_MANAGE, account)
    name = (name or "").strip()
    if not name:
        raise refuse(_("A column needs a name."))
    with transaction.atomic():
        column = column or Column(account=account)
        if column.account_id != account.pk:
            raise refuse(_("That column belongs to another account."))
        column.name, column.per_week, column.color, column.is_active = (
            name[:40],
            max(0, int(per_week)),
            color,
            is_active,
        )
        column.save()
        audit(actor, "newsroom.column.save", column, fields=["name", "per_week", "is_active"])
    return column


def direction_issue(
    *,
    actor: User,
    account: WeChatAccount,
    title: str,
    body: str = "",
    material: str = "",
    column: Column | None = None,
    due_at: datetime | None = None,
) -> Direction:
    """The office sends the contractor material and direction (选题指令)."""
    require(actor, P.DIRECTION_ISSUE, account)
    if not (title or "").strip():
        raise refuse(_("A direction needs a title."))
    with transaction.atomic():
        direction = Direction.objects.create(
            account=account,
            title=title.strip()[:120],
            body=body,
            material=material,
            column=column,
            due_at=due_at,
            issued_by=actor,
        )
        audit(actor, "newsroom.direction.issue", direction, fields=["title", "due_at"])
        publish_on_commit("direction.issued", direction_id=direction.pk, account_id=account.pk)
    return direction


def topic_propose(
    *,
    actor: User,
    account: WeChatAccount,
    title: str,
    angle: str = "",
    material: str = "",
    column: Column | None = None,
    direction: Direction | None = None,
    planned_for: date | None = None,
    due_at: datetime | None = None,
) -> Topic:
    require(actor, P.TOPIC_PROPOSE, account)
    if not (title or "").strip():
        raise refuse(_("A topic needs a title."))
    for obj in (column, direction):
        if obj is not None and obj.account_id != account.pk:
            raise refuse(_("That belongs to another account."))
    with transaction.atomic():
        topic = Topic.objects.create(
            account=account,
            title=title.strip()[:120],
            angle=angle,
            material=material,
            column=column,
            direction=direction,
            planned_for=planned_for,
            due_at=due_at,
            proposed_by=actor,
        )
        audit(actor, "newsroom.topic.propose", topic, fields=["title", "state", "due_at"])
        publish_on_commit("topic.proposed", topic_id=topic.pk, account_id=account.pk)
    return topic


def topic_update(
    *,
    actor: User,
    topic: Topic,
    planned_for: date | None = None,
    due_at: datetime | None = None,
) -> Topic:
    """Move a topic's planning date or due time (also after it became an assignment, whose
    deadline follows)."""
    require(actor, P.TOPIC_PROPOSE, topic)
    with transaction.atomic():
        lock(topic)
        before = {"planned_for": str(topic.planned_for), "due_at": str(topic.due_at)}
        topic.planned_for, topic.due_at = planned_for, due_at
        topic.save(update_fields=["planned_for", "due_at"])
        Assignment.objects.filter(topic=topic).update(deadline=due_at)
        audit(actor, "newsroom.topic.update", topic, note=f"{before} → {due_at}")
    return topic


def topic_accept(
    *, actor: User, topic: Topic, owner: User, deadline: datetime | None = None
) -> Assignment:
    """Accept a topic: it becomes an assignment with an owner and a deadline."""
    require(actor, P.TOPIC_DECIDE, topic)
    if not P.may(owner, P.ARTICLE_WRITE, topic.account):
        raise refuse(_("The owner must be able to write for this account."))
    with transaction.atomic():
        lock(topic)
        workflow.move(topic, TopicState.ACCEPTED, TopicState)
        topic.decided_by, topic.decided_at = actor, timezone.now()
        topic.save(update_fields=["state", "decided_by", "decided_at"])
        assignment = Assignment.objects.create(
            topic=topic,
            account=topic.account,
            owner=owner,
            deadline=deadline or topic.due_at,
            created_by=actor,
        )
        audit(actor, "newsroom.topic.accept", topic, note=str(owner))
        publish_on_commit(
            "assignment.created",
            assignment_id=assignment.pk,
            account_id=topic.account_id,
            owner_id=owner.pk,
        )
    return assignment


def topic_decline(*, actor: User, topic: Topic, reason: str) -> Topic:
    require(actor, P.TOPIC_DECIDE, topic)
    if not (reason or "").strip():
        raise refuse(_("Declining needs a reason."))
    with transaction.atomic():
        lock(topic)
        workflow.move(topic, TopicState.DECLINED, TopicState)
        topic.decided_by, topic.decided_at = actor, timezone.now()
        topic.decline_reason = reason.strip()
        topic.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
        audit(actor, "newsroom.topic.decline", topic, note=reason[:200])
        publish_on_commit("topic.declined", topic_id=topic.pk, account_id=topic.account_id)
    return topic


def push_plan(
    *,
    actor: User,
    account: WeChatAccount,
    title: str,
    planned_for: date,
    mode: str = PushMode.MASS_SEND,
) -> Push:
    """Put a push on the calendar (planned: not yet a publishing time)."""
    require(actor, P.PUSH_MANAGE, account)
    if not (title or "").strip():
        raise refuse(_("A push needs a title."))
    with transaction.atomic():
        push = Push.objects.create(
            account=account,
            title=title.strip()[:120],
            planned_for=planned_for,
            mode=mode,
            created_by=actor,
        )
        audit(actor, "newsroom.push.plan", push, fields=["title", "planned_for", "mode"])
    return push


def push_set_articles(*, actor: User, push: Push, articles: list[Article]) -> Push:
    """Put articles in a push, in order (the first is the headline); at most 8."""
    require(actor, P.PUSH_MANAGE, push)
    if len(articles) > MAX_ARTICLES_PER_PUSH:
        raise refuse(_("A push holds at most %(n)d articles.") % {"n": MAX_ARTICLES_PER_PUSH})
    with transaction.atomic():
        lock(push)
        if push.state not in (PushState.PLANNED, PushState.FAILED) or push.draft_media_id:
            raise refuse(_("Only a planned push can change its articles."))
        for article in articles:
            if article.account_id != push.account_id:
                raise refuse(_("That article belongs to another account."))
            if article.state in (ArticleState.PUBLISHED, ArticleState.WITHDRAWN):
                raise refuse(_("A published article cannot go into another push."))
            if article.push_id not in (None, push.pk):
                raise refuse(
                    _("“%(title)s” is already in another push.") % {"title": article.title}
                )
        Article.objects.filter(push=push).update(push=None, position=0)
        for position, article in enumerate(articles):
            Article.objects.filter(pk=article.pk).update(push=push, position=position)
        audit(
            actor,
            "newsroom.push.articles",
            push,
            note=", ".join(str(a.pk) for a in articles),
        )
    return push
