from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhengwei.newsroom import services
from zhengwei.newsroom.models import Assignment, TopicState
from zhengwei.newsroom.tests.helpers import draft
from zhengwei.newsroom.workflow import IllegalTransition

pytestmark = pytest.mark.django_db


def test_a_writer_proposes_and_an_accepted_topic_becomes_an_assignment(world):
    column = services.column_save(
        actor=world["office_reviewer"], account=world.account, name="防汛动态", per_week=2
    )
    direction = services.direction_issue(
        actor=world["office_reviewer"],
        account=world.account,
        title="关注台风“纳沙”",
        body="突出转移安置",
    )
    due = timezone.now() + timedelta(hours=6)
    topic = services.topic_propose(
        actor=world["writer"],
        account=world.account,
        title="纳沙逼近：转移安置进展",
        angle="一线记者视角",
        column=column,
        direction=direction,
        due_at=due,
    )
    assignment = services.topic_accept(actor=world["editor"], topic=topic, owner=world["writer"])
    topic.refresh_from_db()
    assert topic.state == TopicState.ACCEPTED
    assert (assignment.owner, assignment.deadline) == (world["writer"], due)
    article = services.article_create(
        actor=world["writer"], account=world.account, title=topic.title, assignment=assignment
    )
    assert article.column == column
    later = due + timedelta(hours=2)
    services.topic_update(
        actor=world["writer"], topic=topic, planned_for=date.today(), due_at=later
    )
    assert Assignment.objects.get(pk=assignment.pk).deadline == later


def test_declining_needs_a_reason_and_a_decided_topic_stays_decided(world):
    topic = services.topic_propose(actor=world["writer"], account=world.account, title="选题")
    with pytest.raises(ValidationError):
        services.topic_decline(actor=world["editor"], topic=topic, reason="")
    services.topic_decline(actor=world["office_reviewer"], topic=topic, reason="与上周重复")
    with pytest.raises(IllegalTransition):
        services.topic_accept(actor=world["editor"], topic=topic, owner=world["writer"])


def test_a_writer_cannot_decide_topics_nor_issue_directions(world):
    topic = services.topic_propose(actor=world["writer"], account=world.account, title="选题")
    with pytest.raises(PermissionDenied):
        services.topic_accept(actor=world["writer"], topic=topic, owner=world["writer"])
    with pytest.raises(PermissionDenied):
        services.direction_issue(actor=world["editor"], account=world.account, title="x")


def test_a_push_holds_at_most_eight_articles(world):
    push = services.push_plan(
        actor=world["operator"],
        account=world.account,
        title="7月30日推送",
        planned_for=date.today(),
    )
    articles = [draft(world, title=f"第{i}篇", with_cover=False) for i in range(9)]
    with pytest.raises(ValidationError):
        services.push_set_articles(actor=world["operator"], push=push, articles=articles)
    services.push_set_articles(actor=world["operator"], push=push, articles=articles[:8])
    assert [a.position for a in push.articles.order_by("position")] == list(range(8))
