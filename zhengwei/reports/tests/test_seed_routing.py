"""Seed data is written by the system, once: a second start writes no audit entries."""

import pytest

from zhengwei.audit.models import AuditEntry
from zhengwei.reports import services
from zhengwei.reports.actors import SYSTEM
from zhengwei.reports.tests.helpers import MINHOU

pytestmark = pytest.mark.django_db


def test_routing_rules_seeded_by_the_system_are_audited_once_in_its_name(world):
    for _start in range(2):
        services.routing_rule_save(
            actor=SYSTEM, account=world.account, county_code=MINHOU, unit=world.unit
        )
    entries = AuditEntry.objects.filter(action="routing_rule.save")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor is None and entry.actor_name == "系统"


def test_a_person_changing_a_rule_is_audited_in_their_name(world):
    services.routing_rule_save(
        actor=world["duty_leader"], account=world.account, county_code=MINHOU, unit=world.unit
    )
    assert AuditEntry.objects.get(action="routing_rule.save").actor == world["duty_leader"]
