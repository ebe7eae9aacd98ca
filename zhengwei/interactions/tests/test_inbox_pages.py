"""The inbox pages: who sees them, and the forms that call the services."""

import pytest

from zhengwei.interactions.models import Conversation, ReplyDraft, ReplyState, ReplyTemplate
from zhengwei.interactions.tests.helpers import Phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(client, world, django_capture_on_commit_callbacks):
    Phone(client, world.account, django_capture_on_commit_callbacks).text("请问避灾点在哪里？")
    client.logout()
    return Conversation.objects.get()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("duty_officer", 200),
        ("operator", 200),
        ("auditor", 200),
        ("writer", 403),
        ("unit_officer", 403),
    ],
)
def test_the_inbox_opens_for_the_roles_that_answer_citizens(world, client_for, role, status):
    assert client_for(world[role]).get("/inbox/").status_code == status


def test_the_operator_submits_a_draft_and_the_duty_officer_approves_it_on_the_page(
    world, client, conversation, django_capture_on_commit_callbacks
):
    client.force_login(world["operator"])
    page = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert 'data-testid="submit-draft"' in page and 'data-testid="send"' not in page
    client.post(f"/inbox/{conversation.pk}/act/draft/", {"text": "上街镇中学"})
    draft = ReplyDraft.objects.get()
    client.force_login(world["duty_officer"])
    assert 'data-testid="pending-drafts"' in client.get("/inbox/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/inbox/replies/{draft.pk}/approve/", {"text": "上街镇中学", "comment": ""})
    draft.refresh_from_db()
    assert draft.state == ReplyState.SENT


def test_the_inbox_filters_by_class_and_overdue(world, client_for, conversation):
    client = client_for(world["duty_officer"])
    assert f'data-id="{conversation.pk}"' in client.get("/inbox/?category=inquiry").content.decode()
    assert (
        f'data-id="{conversation.pk}"'
        not in client.get("/inbox/?category=complaint").content.decode()
    )
    assert f'data-id="{conversation.pk}"' not in client.get("/inbox/?overdue=1").content.decode()


def test_the_duty_leader_edits_a_template_on_the_page(world, client_for):
    client = client_for(world["duty_leader"])
    page = client.get("/inbox/templates/").content.decode()
    assert 'data-state="dispatched"' in page
    client.post(
        "/inbox/templates/",
        {"state": "dispatched", "text": "{ticket} 已派 {unit}", "active": "1"},
    )
    assert ReplyTemplate.objects.get(state="dispatched").text == "{ticket} 已派 {unit}"
    bad = client.post("/inbox/templates/", {"state": "dispatched", "text": "{x}", "active": "1"})
    assert bad.status_code == 200 and "{x}" in bad.content.decode()


def test_the_duty_officer_reads_templates_but_cannot_save_them(world, client_for):
    client = client_for(world["duty_officer"])
    page = client.get("/inbox/templates/")
    assert page.status_code == 200
    assert 'data-state="dispatched"' in page.content.decode()  # the templates are shown
    assert "<textarea" not in page.content.decode()
    client.post("/inbox/templates/", {"state": "dispatched", "text": "x", "active": "1"})
    assert not ReplyTemplate.objects.exists()
