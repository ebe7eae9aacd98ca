"""First-response and resolution deadlines per class, configurable, with escalation to the duty
leader and then the office leader (manage.py interactions_tick)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from zhengwei.interactions import conf, services
from zhengwei.interactions.models import Category, Conversation
from zhengwei.interactions.tests.helpers import Phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(client, world, django_capture_on_commit_callbacks):
    Phone(client, world.account, django_capture_on_commit_callbacks).text("我要投诉泵站没人管")
    return Conversation.objects.get()


def test_each_class_has_its_own_first_response_and_resolution_deadline(settings):
    assert conf.deadline("disaster", "first_response") == timedelta(minutes=30)
    assert conf.deadline("complaint", "resolution") == timedelta(days=3)
    settings.INTERACTION_DEADLINES = '{"inquiry": {"first_response": 15}}'
    assert conf.deadline("inquiry", "first_response") == timedelta(minutes=15)
    settings.INTERACTION_DEADLINES = '{"nonsense": {"first_response": 15}}'
    with pytest.raises(ImproperlyConfigured):
        conf.deadlines()


def test_an_unanswered_complaint_goes_to_the_duty_leader_then_the_office_leader(
    world, conversation
):
    assert conversation.suggested_category == Category.COMPLAINT
    due = conversation.first_response_due
    assert services.conversations_escalate_overdue(now=due - timedelta(minutes=1)) == []
    assert services.conversations_escalate_overdue(now=due + timedelta(minutes=1)) == [
        (conversation.pk, 1)
    ]
    step = conversation.steps.get(kind="escalated")
    assert step.data["notify"] == [world["duty_leader"].pk]
    # Idempotent: the same moment escalates nothing more.
    assert services.conversations_escalate_overdue(now=due + timedelta(minutes=1)) == []
    later = due + conf.deadline("complaint", "first_response") + timedelta(minutes=1)
    assert services.conversations_escalate_overdue(now=later) == [(conversation.pk, 2)]
    assert conversation.steps.filter(kind="escalated").last().data["notify"] == [
        world["office_leader"].pk
    ]


def test_an_answered_conversation_runs_on_the_resolution_deadline(
    world, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_send(actor=world["duty_officer"], conversation=conversation, text="已转办")
    conversation.refresh_from_db()
    assert (
        services.conversations_escalate_overdue(
            now=conversation.first_response_due + timedelta(hours=1)
        )
        == []
    )
    escalated = services.conversations_escalate_overdue(
        now=conversation.resolution_due + timedelta(minutes=1)
    )
    assert escalated == [(conversation.pk, 1)]


def test_resolved_conversations_are_not_escalated_and_the_tick_runs_both_jobs(world, conversation):
    services.conversation_resolve(actor=world["duty_officer"], conversation=conversation)
    Conversation.objects.filter(pk=conversation.pk).update(
        first_response_due=timezone.now() - timedelta(days=9)
    )
    call_command("interactions_tick")
    assert Conversation.objects.get().escalation_level == 0
