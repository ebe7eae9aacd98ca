"""Personal data: revealing the phone, recording who viewed a report."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhengwei.access.policy import denied
from zhengwei.audit.services import audit_record
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User
from zhengwei.reports import policy as P
from zhengwei.reports.models import (
    Report,
    ReportView,
)
from zhengwei.reports.services.common import _user


def report_reveal_phone(*, actor, report: Report) -> str:
    """The full phone number, for a permitted role, with an audit entry for every reveal."""
    if not isinstance(actor, User) or not P.may_on_report(actor, P.REPORTS_PERSONAL_DATA, report):
        audit_record(actor=_user(actor), action="report.phone_reveal", obj=report, outcome="denied")
        raise denied()
    with transaction.atomic():
        phone = report.reporter_phone
        audit_record(actor=actor, action="report.phone_reveal", obj=report)
        publish_on_commit(
            "report.phone_revealed",
            report_id=report.pk,
            account_id=report.account_id,
            user_id=actor.pk,
        )
    return phone


def report_view_record(*, actor, report: Report, now: datetime | None = None) -> None:
    """Who opened the report, and the first person ever to do so ("seen first by the office")."""
    if not isinstance(actor, User) or not P.report_in_scope(actor, report):
        raise denied()
    now = now or timezone.now()
    with transaction.atomic():
        _, created = ReportView.objects.get_or_create(
            report=report,
            user=actor,
            defaults={"org_kind": actor.org_kind or "", "at": now},
        )
        if created and report.first_seen_at is None:
            if Report.objects.filter(pk=report.pk, first_seen_at__isnull=True).update(
                first_seen_at=now, first_seen_by=actor
            ):
                report.first_seen_at, report.first_seen_by = now, actor
        audit_record(actor=actor, action="report.view", obj=report)
