"""Every audit entry is a link of a keyed hash chain; audit_verify finds the first broken link."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from zhengwei.audit.chain import verify
from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import audit_prune, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world):
    made = [
        audit_record(action="test.one", actor=world["system_admin"], note="第一条"),
        audit_record(action="test.two", actor_name="someone", ip="::ffff:10.0.0.1"),
        audit_record(action="test.three", before={"state": "new"}, after={"state": (1, 2)}),
    ]
    return made


def _raw(sql, params):
    """What someone with the database's password could do: bypass the model's guards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks of the test's transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_guard")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_guard")


def test_each_entry_links_to_the_one_before(entries):
    first, second, third = (AuditEntry.objects.get(pk=e.pk) for e in entries)
    assert len(first.entry_hash) == 64
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash


def test_an_untouched_chain_verifies(entries):
    result = verify()
    assert result.ok
    assert result.checked == AuditEntry.objects.count() >= 3
    assert result.head == AuditEntry.objects.order_by("-id").first().entry_hash


def test_a_changed_entry_is_the_first_broken_link(entries):
    _raw("UPDATE audit_auditentry SET note = %s WHERE id = %s", ["改过", entries[1].pk])
    result = verify()
    assert (result.broken_id, result.reason) == (entries[1].pk, "content")


def test_a_removed_entry_breaks_the_link_of_the_next(entries):
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    result = verify()
    assert (result.broken_id, result.reason) == (entries[2].pk, "link")


def test_removing_the_oldest_entries_outside_the_retention_job_is_found(entries):
    oldest = AuditEntry.objects.order_by("id").first()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [oldest.pk])
    result = verify()
    assert result.reason == "start"
    assert result.broken_id == AuditEntry.objects.order_by("id").first().pk


def test_a_recomputed_link_without_the_key_does_not_verify(entries, settings):
    settings.AUDIT_CHAIN_KEY = "another key"
    assert verify().reason == "content"


def test_the_chain_survives_the_retention_job(record):
    now = timezone.now()
    record(at=now - timedelta(days=400), action="test.old")
    record(at=now - timedelta(days=300), action="test.also_old")
    record(action="test.new")
    assert audit_prune() == 2
    result = verify()
    assert result.ok, result
    assert result.checked == 2  # test.new and the prune's own entry


def test_the_command_reports_an_intact_chain_and_records_its_run(entries):
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "Chain intact" in out.getvalue()
    run = AuditEntry.objects.get(action="audit.verify")
    assert run.outcome == "ok"
    assert run.after["checked"] == 3


def test_the_command_names_the_first_broken_entry_and_fails(entries):
    _raw("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["test.forged", entries[2].pk])
    with pytest.raises(CommandError, match=f"#{entries[2].pk}"):
        call_command("audit_verify", stdout=StringIO())
    assert AuditEntry.objects.get(action="audit.verify").outcome == "failed"


def test_entries_written_together_in_one_transaction_chain_in_order():
    with transaction.atomic():
        a = audit_record(action="test.a")
        b = audit_record(action="test.b")
    assert AuditEntry.objects.get(pk=b.pk).prev_hash == a.entry_hash
    assert verify().ok
