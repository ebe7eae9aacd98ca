"""Every change to a disaster report goes through here.

Each function checks who acts (the policy for signed-in people; ownership for citizens; the key
for Open311 clients), locks the report, moves the state machine (``workflow``; illegal moves
raise ``IllegalTransition``), writes one ``ReportStep`` per handling step, records an audit entry
and publishes its events after commit.

Events (payloads carry ids and codes, never personal data):
    report.received        report_id, ticket, account_id, channel, hazard, priority,
                           lives_in_danger, county_code, location_flag, suggested_duplicate_ids,
                           status_path
    report.step_added      report_id, step_id, kind, has_public_note, account_id
                           (the messaging layer sends ``step.public_note`` to the reporter)
    report.state_changed   report_id, ticket, account_id, from_state, to_state, step_id
    report.acknowledged    report_id, account_id, user_id
    report.triaged         report_id, account_id, priority, hazard
    report.dispatched      report_id, account_id, unit_id, assignee_id
    report.escalated       report_id, ticket, account_id, level, emergency, automatic,
                           notify_user_ids, unit_id
    report.merged          parent_id, merged_ids, report_ids, notify_report_ids, account_id
    report.reopened        report_id, account_id, by_citizen
    report.rated           report_id, account_id, rating
    report.phone_revealed  report_id, account_id, user_id
"""

from __future__ import annotations

from zhengwei.reports.services.api_keys import api_key_check, api_key_create, api_key_revoke
from zhengwei.reports.services.common import AUDIT_FIELDS
from zhengwei.reports.services.emergency import (
    emergency_current,
    emergency_end,
    emergency_start,
)
from zhengwei.reports.services.intake import RateLimited, report_add_photos, report_receive
from zhengwei.reports.services.office import (
    report_ack,
    report_dispatch,
    report_triage,
    report_triage_and_dispatch,
)
from zhengwei.reports.services.outcomes import (
    report_citizen_reject_closure,
    report_escalate,
    report_mark_duplicate,
    report_merge,
    report_refer,
    report_reject,
    report_reopen,
    reports_escalate_overdue,
)
from zhengwei.reports.services.personal_data import report_reveal_phone, report_view_record
from zhengwei.reports.services.routing import routing_rule_delete, routing_rule_save
from zhengwei.reports.services.unit import (
    report_close,
    report_contact,
    report_progress,
    report_resolve,
    report_sign,
)
from zhengwei.reports.services.verdict import report_note, report_rate

__all__ = [
    "AUDIT_FIELDS",
    "RateLimited",
    "api_key_check",
    "api_key_create",
    "api_key_revoke",
    "emergency_current",
    "emergency_end",
    "emergency_start",
    "report_ack",
    "report_add_photos",
    "report_citizen_reject_closure",
    "report_close",
    "report_contact",
    "report_dispatch",
    "report_escalate",
    "report_mark_duplicate",
    "report_merge",
    "report_note",
    "report_progress",
    "report_rate",
    "report_receive",
    "report_refer",
    "report_reject",
    "report_reopen",
    "report_resolve",
    "report_reveal_phone",
    "report_sign",
    "report_triage",
    "report_triage_and_dispatch",
    "report_view_record",
    "reports_escalate_overdue",
    "routing_rule_delete",
    "routing_rule_save",
]
