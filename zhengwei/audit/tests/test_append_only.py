"""Audit entries cannot be changed or deleted: not by the model, the queryset or raw SQL."""

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction

from zhengwei.audit.models import AppendOnlyError, AuditEntry
from zhengwei.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(action="test.event", actor_name="someone", note="original")


def test_an_entry_cannot_be_saved_again(entry):
    entry.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).note == "original"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_queryset_refuses_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == "original"


def test_the_admin_may_look_but_never_add_change_or_delete(rf, entry):
    from zhengwei.orgs.models import User

    admin = site._registry[AuditEntry]
    request = rf.get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_on_postgresql_the_trigger_refuses_raw_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == "original"
