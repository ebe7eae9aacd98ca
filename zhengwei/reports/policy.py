"""Who may do what with disaster reports (registered in the one policy; imported from ready()).

Every action that shows or touches a report is ``personal_data=True``: a report carries the
reporter's precise location (行踪轨迹, sensitive under PIPL art. 28), photos and phone number, so
contractor members never get them whatever role they hold. Contractor roles get de-identified
counts (``reports.counts.view``) and the aggregate metrics.

Scope: office duty roles see every report of their account; a unit officer sees the reports
dispatched to (or entered by) their own unit — see ``report_in_scope``.
"""

from __future__ import annotations

from zhengwei.access.policy import DUTY_ROLES, EVERY_ROLE, decided, may, register, roles_of
from zhengwei.orgs.models import Role, User
from zhengwei.orgs.selectors import on_duty

REPORTS_VIEW = "reports.view"
REPORTS_CREATE = "reports.create"
REPORTS_TRIAGE = "reports.triage"
REPORTS_DISPATCH = "reports.dispatch"
REPORTS_WORK = "reports.work"
REPORTS_CLOSE = "reports.close"
REPORTS_ESCALATE = "reports.escalate"
REPORTS_PERSONAL_DATA = "reports.personal_data.view"
REPORTS_PHOTO_ORIGINAL = "reports.photo_original.view"
REPORTS_EXPORT = "reports.export"
REPORTS_COUNTS = "reports.counts.view"
REPORTS_METRICS = "reports.metrics.view"
REPORTS_ROUTING = "reports.routing.manage"
REPORTS_API_KEYS = "reports.api_keys.manage"

DUTY = DUTY_ROLES
# Roles that see all of an account's reports (not only their unit's).
OFFICE_WIDE = {Role.OFFICE_LEADER, Role.DUTY_LEADER, Role.DUTY_OFFICER, Role.AUDITOR}

register(REPORTS_VIEW, OFFICE_WIDE | {Role.UNIT_OFFICER}, personal_data=True)
register(REPORTS_CREATE, DUTY | {Role.UNIT_OFFICER}, personal_data=True)
register(REPORTS_TRIAGE, DUTY, personal_data=True)
register(REPORTS_DISPATCH, DUTY, personal_data=True)
register(REPORTS_WORK, DUTY | {Role.UNIT_OFFICER}, personal_data=True)
register(REPORTS_CLOSE, DUTY | {Role.OFFICE_LEADER}, personal_data=True)
register(REPORTS_ESCALATE, DUTY | {Role.OFFICE_LEADER, Role.UNIT_OFFICER}, personal_data=True)
register(
    REPORTS_PERSONAL_DATA,
    DUTY | {Role.OFFICE_LEADER, Role.UNIT_OFFICER},
    personal_data=True,
)
# Originals keep EXIF (GPS, device): the office only; units and everyone else get the clean copy.
register(REPORTS_PHOTO_ORIGINAL, DUTY | {Role.OFFICE_LEADER}, personal_data=True)
register(REPORTS_EXPORT, OFFICE_WIDE, personal_data=True)
register(REPORTS_COUNTS, EVERY_ROLE)
register(
    REPORTS_METRICS,
    OFFICE_WIDE | {Role.SYSTEM_ADMIN, Role.PROJECT_MANAGER, Role.UNIT_OFFICER},
)
register(REPORTS_ROUTING, {Role.DUTY_LEADER, Role.SYSTEM_ADMIN})
register(REPORTS_API_KEYS, {Role.SYSTEM_ADMIN})


def office_wide(user, account) -> bool:
    return bool(roles_of(user, account) & OFFICE_WIDE)


def on_duty_desk(user, account) -> bool:
    """The person works the account's duty desk (值班员 or 带班领导)."""
    return isinstance(user, User) and bool(roles_of(user, account) & DUTY)


def in_assigned_unit(user, report) -> bool:
    """The person is an officer of the unit the report is dispatched to."""
    return (
        isinstance(user, User)
        and report.assigned_unit_id is not None
        and user.organisation_id == report.assigned_unit_id
        and Role.UNIT_OFFICER in roles_of(user, report.account)
    )


def unit_officer_on_duty(unit, account, at) -> User | None:
    """Who a report dispatched to ``unit`` at ``at`` goes to: the first person on the unit's
    roster then who holds the unit-officer role on the account."""
    for shift in on_duty(organisation=unit, at=at):
        if Role.UNIT_OFFICER in roles_of(shift.user, account):
            return shift.user
    return None


def report_in_scope(user, report) -> bool:
    """The report is this person's business: office-wide roles, or their unit's report. Decided
    once per request for the report as it stands (its unit and who entered it are in the key),
    however many buttons of the page ask."""
    if report.pk is None:
        return _in_scope(user, report)
    key = (
        "reports.scope",
        report.pk,
        report.account_id,
        report.assigned_unit_id,
        report.entered_by_id,
        getattr(user, "is_active", False),
        getattr(user, "organisation_id", None),
    )
    return decided(user, key, lambda: _in_scope(user, report))


def _in_scope(user, report) -> bool:
    if not may(user, REPORTS_VIEW, report):
        return False
    if office_wide(user, report.account):
        return True
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return False
    if report.assigned_unit_id == org_id:
        return True
    entered_by = report.entered_by
    return entered_by is not None and entered_by.organisation_id == org_id


def may_on_report(user, action: str, report) -> bool:
    return may(user, action, report) and report_in_scope(user, report)


# Emergency mode (typhoon, rainstorm): the duty leader or the office leader switches it.
REPORTS_EMERGENCY = "reports.emergency.manage"
register(REPORTS_EMERGENCY, {Role.DUTY_LEADER, Role.OFFICE_LEADER})
# Its history (who switched it, when, why, which deadlines applied) names staff, not citizens:
# the duty desk, the leaders and the auditor read it.
REPORTS_EMERGENCY_VIEW = "reports.emergency.view"
register(REPORTS_EMERGENCY_VIEW, OFFICE_WIDE)
