"""Photos, chat drafts and inbox texts have retention classes too; every daily purge leaves one
row per class (records, files, oldest kept) on the purge report page, which the security
administrator and the auditor read."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from zhengwei.audit.models import AuditEntry, PurgeRun
from zhengwei.interactions.models import (
    ChatDraft,
    Conversation,
    ConversationState,
    DraftState,
    InboxItem,
)
from zhengwei.reports.models import Report, ReportPhoto
from zhengwei.reports.tests.helpers import jpeg, receive
from zhengwei.reports.workflow import State

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=400)


def _purge(capture):
    with capture(execute=True):
        call_command("purge_personal_data", stdout=StringIO())
    return {row.data_class: row for row in PurgeRun.objects.all()}


def _case(world, state, when, text):
    conversation = Conversation.objects.create(
        account=world.account,
        channel="message",
        openid="oCase",
        preview=text,
        suggested_category="inquiry",
        state=state,
        resolved_at=when if state == ConversationState.RESOLVED else None,
        first_response_due=when,
        resolution_due=when,
    )
    InboxItem.objects.create(conversation=conversation, kind="text", text=text, at=when)
    return conversation


def test_photos_of_long_closed_reports_go_with_their_files(
    world, django_capture_on_commit_callbacks
):
    old = receive(world, photos=[jpeg()])
    kept = receive(world, photos=[jpeg()], description="新的积水")
    Report.objects.filter(pk=old.pk).update(state=State.CLOSED, closed_at=LONG_AGO)
    photo = ReportPhoto.objects.get(report=old)
    storage, name = photo.original.storage, photo.original.name
    assert storage.exists(name)
    row = _purge(django_capture_on_commit_callbacks)["report_photos"]
    assert (row.records, row.files) == (1, 2)
    assert not storage.exists(name)
    assert list(ReportPhoto.objects.values_list("report", flat=True)) == [kept.pk]
    assert row.oldest_kept == ReportPhoto.objects.get().uploaded_at


def test_finished_chat_drafts_go_and_collecting_ones_stay(
    world, django_capture_on_commit_callbacks
):
    base = {"account": world.account, "started_how": "menu", "updated_at": LONG_AGO}
    ChatDraft.objects.create(openid="oA", state=DraftState.CONFIRMED, **base)
    ChatDraft.objects.create(openid="oB", state=DraftState.ABANDONED, **base)
    collecting = ChatDraft.objects.create(openid="oC", state=DraftState.COLLECTING, **base)
    assert _purge(django_capture_on_commit_callbacks)["chat_drafts"].records == 2
    assert list(ChatDraft.objects.all()) == [collecting]


def test_closed_inbox_cases_lose_what_the_citizen_wrote(world, django_capture_on_commit_callbacks):
    closed = _case(world, ConversationState.RESOLVED, LONG_AGO, "我家地址是某某路8号")
    still_open = _case(world, ConversationState.OPEN, LONG_AGO, "还在处理")
    assert _purge(django_capture_on_commit_callbacks)["conversation_texts"].records == 1
    assert InboxItem.objects.get(conversation=closed).text == ""
    assert Conversation.objects.get(pk=closed.pk).preview == ""
    assert InboxItem.objects.get(conversation=still_open).text == "还在处理"


def test_each_run_is_one_audited_row_per_class(world, django_capture_on_commit_callbacks):
    rows = _purge(django_capture_on_commit_callbacks)
    assert set(rows) >= {
        "message_texts",
        "exact_locations",
        "reporter_openids",
        "report_photos",
        "chat_drafts",
        "conversation_texts",
    }
    assert len({row.run for row in rows.values()}) == 1
    entry = AuditEntry.objects.get(action="retention.purge")
    assert entry.object_id == str(rows["chat_drafts"].run)


@pytest.mark.parametrize("who", ["security_admin", "auditor"])
def test_the_security_and_audit_administrators_read_the_purge_report(
    world, client_for, who, django_capture_on_commit_callbacks
):
    ChatDraft.objects.create(
        account=world.account,
        openid="oA",
        state=DraftState.ABANDONED,
        started_how="menu",
        updated_at=LONG_AGO,
    )
    _purge(django_capture_on_commit_callbacks)
    client = client_for(world[who])
    html = client.get(reverse("audit:purges")).content.decode()
    assert 'data-testid="purge-runs"' in html
    assert "聊天报灾草稿" in html and "chat_drafts" not in html
    assert reverse("audit:purges") in client.get(reverse("console:home")).content.decode()


@pytest.mark.parametrize("who", ["system_admin", "duty_officer", "editor"])
def test_everyone_else_is_refused_the_purge_report(world, client_for, who):
    assert client_for(world[who]).get(reverse("audit:purges")).status_code == 403
