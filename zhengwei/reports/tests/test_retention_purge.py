"""Personal data past its retention period is purged daily, per class, and the purge is reported
in the audit log; open reports and recent data are left alone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengwei.audit.models import AuditEntry
from zhengwei.reports.models import Report
from zhengwei.reports.tests.helpers import LAT, LNG, receive
from zhengwei.reports.workflow import State

pytestmark = pytest.mark.django_db


def _closed(report, days_ago):
    Report.objects.filter(pk=report.pk).update(
        state=State.CLOSED, closed_at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.fixture
def reports(world):
    old = receive(world, actor=None)
    recent = receive(world, lat=LAT + 0.001, description="另一处积水")
    still_open = receive(world, lat=LAT + 0.002, description="第三处积水")
    _closed(old, 400)
    _closed(recent, 10)
    Report.objects.filter(pk=still_open.pk).update(reporter_openid="o-still-open")
    return old, recent, still_open


def test_old_closed_reports_lose_their_exact_place_and_openid(reports):
    old, recent, still_open = reports
    call_command("purge_personal_data", stdout=StringIO())
    old = Report.objects.get(pk=old.pk)
    assert (old.lat, old.lng) == (round(LAT, 2), round(LNG, 2))
    assert old.reporter_openid == ""
    recent = Report.objects.get(pk=recent.pk)
    assert recent.lat == LAT + 0.001
    assert recent.reporter_openid != ""
    assert Report.objects.get(pk=still_open.pk).reporter_openid == "o-still-open"


def test_the_purge_is_reported_per_class_in_the_audit_log(reports):
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    entry = AuditEntry.objects.get(action="retention.purge")
    assert entry.after["exact_locations"]["purged"] == 1
    assert entry.after["reporter_openids"]["purged"] == 1
    assert entry.after["exact_locations"]["days"] == 365
    assert "message_texts" in entry.after
    assert "exact_locations" in out.getvalue()


def test_a_second_run_purges_nothing_more(reports):
    call_command("purge_personal_data", stdout=StringIO())
    call_command("purge_personal_data", stdout=StringIO())
    last = AuditEntry.objects.filter(action="retention.purge").order_by("-id").first()
    assert last.after["exact_locations"]["purged"] == 0
    assert last.after["reporter_openids"]["purged"] == 0


def test_the_periods_are_settings(reports, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "exact_locations": 5}
    call_command("purge_personal_data", stdout=StringIO())
    entry = AuditEntry.objects.get(action="retention.purge")
    assert entry.after["exact_locations"]["purged"] == 2
