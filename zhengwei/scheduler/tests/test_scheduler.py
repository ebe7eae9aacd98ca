from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from zhengwei.scheduler.models import ScheduledRun
from zhengwei.scheduler.runner import claim, run_due

pytestmark = pytest.mark.django_db


def test_only_one_scheduler_claims_a_round():
    now = timezone.now()
    assert claim("prune_audit", 60, now)
    assert not claim("prune_audit", 60, now)


def test_a_round_is_due_again_after_its_interval():
    now = timezone.now()
    claim("prune_audit", 60, now)
    ScheduledRun.objects.update(lease_until=None)
    assert not claim("prune_audit", 60, now + timedelta(seconds=30))
    assert claim("prune_audit", 60, now + timedelta(seconds=61))


def test_a_dead_schedulers_lease_expires():
    now = timezone.now()
    claim("prune_audit", 60, now)  # never released
    assert claim("prune_audit", 60, now + timedelta(seconds=61))


@override_settings(SCHEDULED_COMMANDS={"prune_audit": 3600, "no_such_command": 5})
def test_it_runs_due_commands_and_records_the_round():
    assert run_due() == ["prune_audit"]
    row = ScheduledRun.objects.get(name="prune_audit")
    assert row.runs == 1 and row.last_error == "" and row.lease_until is None
    assert run_due() == []
