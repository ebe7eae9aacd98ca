"""Pruning removes entries past the retention period (at least 184 days) and nothing newer."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import audit_prune

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged(record):
    now = timezone.now()
    return {
        "old": record(at=now - timedelta(days=400), action="test.old"),
        "just_past": record(at=now - timedelta(days=185), action="test.just_past"),
        "just_inside": record(at=now - timedelta(days=183), action="test.just_inside"),
        "new": record(action="test.new"),
    }


def test_prune_removes_only_entries_older_than_retention(aged):
    removed = audit_prune()
    assert removed == 2
    left = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"test.just_inside", "test.new"} <= left
    assert not left & {"test.old", "test.just_past"}


def test_prune_records_that_it_ran(aged):
    audit_prune()
    entry = AuditEntry.objects.get(action="audit.prune")
    assert entry.after["removed"] == 2
    assert entry.after["retention_days"] == 184


def test_a_longer_retention_keeps_more(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    assert audit_prune() == 1
    assert AuditEntry.objects.filter(action="test.just_past").exists()


def test_a_retention_below_184_days_is_never_applied(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    audit_prune()
    assert AuditEntry.objects.filter(action="test.just_inside").exists()


def test_the_command_prunes_and_reports(aged):
    out = StringIO()
    call_command("prune_audit", stdout=out)
    assert "2" in out.getvalue()
    assert not AuditEntry.objects.filter(action="test.old").exists()


def test_the_command_can_count_without_removing(aged):
    out = StringIO()
    call_command("prune_audit", "--dry-run", stdout=out)
    assert "2" in out.getvalue()
    assert AuditEntry.objects.filter(action="test.old").exists()
