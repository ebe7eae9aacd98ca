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

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require, roles_of
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import Organisation, OrgKind, Role, RoleGrant, User, WeChatAccount
from zhengwei.orgs.selectors import escalation_targets, on_duty
from zhengwei.reports import geo, links, notices, phones, workflow
from zhengwei.reports import policy as P
from zhengwei.reports.actors import SYSTEM, ApiClient, Citizen
from zhengwei.reports.models import (
    ApiKey,
    Channel,
    Datum,
    Hazard,
    Priority,
    Report,
    ReportPhoto,
    ReportStep,
    ReportView,
    RoutingRule,
    State,
    StepKind,
)
from zhengwei.reports.photos import CleanPhoto, clean_photos
from zhengwei.reports.tickets import next_ticket
from zhengwei.reports.workflow import IllegalTransition

AUDIT_FIELDS = [
    "state",
    "priority",
    "hazard",
    "assigned_unit",
    "assignee",
    "handler",
    "escalation_level",
    "duplicate_of",
    "satisfaction",
    "due_at",
    "county_code",
    "location_flag",
]


# --- helpers -------------------------------------------------------------------------------
def _user(actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _label(actor) -> str:
    return "" if isinstance(actor, User) else getattr(actor, "label", "")[:80]


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission for this action."))


def _audit(actor, action: str, report: Report, before: dict | None = None, note: str = "") -> None:
    after = snapshot(report, AUDIT_FIELDS)
    b, a = diff(before, after) if before else (None, after)
    audit_record(
        actor=_user(actor),
        actor_name=_label(actor),
        action=action,
        obj=report,
        before=b,
        after=a,
        note=note,
        ip=None if isinstance(actor, User) else getattr(actor, "ip", None),
    )


def _lock(report: Report) -> Report:
    """Lock the row for this transaction (PostgreSQL) and read its current state."""
    list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk"))
    report.refresh_from_db()
    return report


def _require(actor, action: str, report: Report) -> None:
    if not isinstance(actor, User) or not P.may_on_report(actor, action, report):
        raise _denied()


def _is_duty(actor, report: Report) -> bool:
    return isinstance(actor, User) and bool(roles_of(actor, report.account) & P.DUTY)


def _is_office(actor, report: Report) -> bool:
    return isinstance(actor, User) and P.office_wide(actor, report.account)


def _in_assigned_unit(actor, report: Report) -> bool:
    return (
        isinstance(actor, User)
        and report.assigned_unit_id is not None
        and actor.organisation_id == report.assigned_unit_id
        and Role.UNIT_OFFICER in roles_of(actor, report.account)
    )


def _require_unit_or_duty(actor, report: Report) -> None:
    _require(actor, P.REPORTS_WORK, report)
    if not (_is_duty(actor, report) or _in_assigned_unit(actor, report)):
        raise _denied()


def _require_assigned_unit(actor, report: Report) -> None:
    _require(actor, P.REPORTS_WORK, report)
    if not _in_assigned_unit(actor, report):
        raise _denied()


def _require_office(actor, report: Report) -> None:
    _require(actor, P.REPORTS_CLOSE, report)
    if not _is_office(actor, report):
        raise _denied()


def _require_triage(actor, report: Report) -> None:
    _require(actor, P.REPORTS_TRIAGE, report)


def _step(
    report: Report,
    kind: str,
    *,
    actor,
    from_state: str,
    public_note: str = "",
    internal_note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> ReportStep:
    step = ReportStep.objects.create(
        report=report,
        kind=kind,
        from_state=from_state,
        to_state=report.state,
        actor=_user(actor),
        actor_label=_label(actor),
        at=at or timezone.now(),
        public_note=(public_note or "").strip()[:1000],
        internal_note=(internal_note or "").strip()[:2000],
        data=data or {},
    )
    publish_on_commit(
        "report.step_added",
        report_id=report.pk,
        step_id=step.pk,
        kind=str(kind),
        has_public_note=bool(step.public_note),
        account_id=report.account_id,
    )
    return step


def _move(
    report: Report,
    to_state: str,
    kind: str,
    *,
    actor,
    now: datetime,
    public_note: str = "",
    internal_note: str = "",
    data: dict | None = None,
) -> ReportStep:
    from_state = report.state
    workflow.check_move(from_state, to_state)
    report.state = to_state
    report.save()
    step = _step(
        report,
        kind,
        actor=actor,
        from_state=from_state,
        public_note=public_note,
        internal_note=internal_note,
        data=data,
        at=now,
    )
    if from_state != to_state:
        publish_on_commit(
            "report.state_changed",
            report_id=report.pk,
            ticket=report.ticket,
            account_id=report.account_id,
            from_state=str(from_state),
            to_state=str(to_state),
            step_id=step.pk,
        )
    return step


def _advance(
    report: Report,
    to_state: str,
    kind: str,
    *,
    actor,
    now: datetime,
    action: str,
    acknowledge: bool,
    changes: dict | None = None,
    public_note: str = "",
    default_note: bool = False,
    internal_note: str = "",
    data: dict | None = None,
    audit_note: str = "",
) -> ReportStep:
    """One handling step on a locked report: check the move, acknowledge (if asked), set
    ``changes``, move with its step (the kind's default public note when ``default_note`` and none
    is given) and audit it as ``action``."""
    workflow.check_move(report.state, to_state)
    before = snapshot(report, AUDIT_FIELDS)
    if acknowledge:
        _ensure_ack(report, actor, now)
    for field, value in (changes or {}).items():
        setattr(report, field, value)
    if default_note and not public_note:
        public_note = notices.default(kind, report)
    step = _move(
        report,
        to_state,
        kind,
        actor=actor,
        now=now,
        public_note=public_note,
        internal_note=internal_note,
        data=data,
    )
    _audit(actor, action, report, before, note=audit_note)
    return step


def _handle(
    report: Report,
    to_state: str,
    kind: str,
    *,
    actor,
    now: datetime,
    authorize: Callable[[object, Report], None],
    **step,
) -> Report:
    """Lock the report, ``authorize(actor, report)``, then ``_advance`` it, in one transaction."""
    with transaction.atomic():
        _lock(report)
        authorize(actor, report)
        _advance(report, to_state, kind, actor=actor, now=now, **step)
    return report


def _ensure_ack(report: Report, actor, now: datetime) -> None:
    """The first handling by a duty officer acknowledges the report (the headline metric)."""
    if report.first_ack_at is not None or not _is_duty(actor, report):
        return
    report.first_ack_at = now
    report.handler = actor
    report.save(update_fields=["first_ack_at", "handler", "updated_at"])
    _step(report, StepKind.ACK, actor=actor, from_state=report.state, at=now)
    publish_on_commit(
        "report.acknowledged", report_id=report.pk, account_id=report.account_id, user_id=actor.pk
    )


def _clock_start(report: Report) -> datetime:
    return report.reopened_at or report.submitted_at


def _store_photo(report: Report, photo: CleanPhoto) -> ReportPhoto:
    item = ReportPhoto(
        report=report,
        original_format=photo.original_format,
        width=photo.width,
        height=photo.height,
        size=len(photo.original),
        sha256=photo.sha256,
    )
    item.original.save("original" + photo.extension, ContentFile(photo.original), save=False)
    item.display.save("display.jpg", ContentFile(photo.display), save=False)
    item.save()
    return item


def _unit_officer_on_duty(unit: Organisation, account: WeChatAccount, at: datetime) -> User | None:
    shifts = on_duty(organisation=unit, at=at)
    for shift in shifts:
        if RoleGrant.objects.filter(
            user=shift.user, account=account, role=Role.UNIT_OFFICER
        ).exists():
            return shift.user
    return None


# --- intake --------------------------------------------------------------------------------
def _parse_coordinate(value, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("The location is not a number.")) from None
    if not (low <= number <= high):
        raise ValidationError(_("The location is outside the valid range."))
    return number


def report_receive(
    *,
    actor,
    account: WeChatAccount,
    channel: str,
    hazard: str,
    description: str = "",
    lives_in_danger: bool = False,
    lat=None,
    lng=None,
    datum: str = Datum.WGS84,
    accuracy_m=None,
    address: str = "",
    phone: str = "",
    name: str = "",
    photos: Iterable = (),
    submitted_at: datetime | None = None,
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Store a report from any channel durably and acknowledge it at once.

    ``actor`` is a duty officer or unit officer (phone-in / unit report), a ``Citizen`` (chat, H5)
    or an ``ApiClient`` (Open311). Missing or odd locations are flagged, never refused.
    """
    now = now or timezone.now()
    openid = ""
    if isinstance(actor, User):
        require(actor, P.REPORTS_CREATE, account)
        expected = Channel.UNIT if actor.org_kind == OrgKind.UNIT else Channel.PHONE
        if channel != expected:
            raise ValidationError(
                _("Reports you enter are recorded as “%(channel)s”.")
                % {"channel": Channel(expected).label}
            )
    elif isinstance(actor, Citizen):
        if channel not in (Channel.CHAT, Channel.H5):
            raise _denied()
        openid = actor.openid
    elif isinstance(actor, ApiClient):
        if channel != Channel.OPEN311 or not actor.key.is_active:
            raise _denied()
        if actor.key.account_id != account.pk:
            raise _denied()
    else:
        raise _denied()
    if not account.is_active:
        raise ValidationError(_("This account no longer takes reports."))

    errors: dict[str, list[str]] = {}
    if hazard not in Hazard.values:
        errors["hazard"] = [_("Choose what happened.")]
    description = (description or "").strip()
    if len(description) > 2000:
        errors["description"] = [_("The description may be at most 2000 characters.")]
    try:
        phone = phones.normalise(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if (
        channel in (Channel.H5, Channel.PHONE)
        and not openid
        and not phone
        and "phone" not in errors
    ):
        errors["phone"] = [_("Leave a phone number so that we can call you back.")]
    if datum not in Datum.values:
        errors["datum"] = [_("Unknown coordinate system.")]
    try:
        lat_v = _parse_coordinate(lat, -90, 90)
        lng_v = _parse_coordinate(lng, -180, 180)
        if (lat_v is None) != (lng_v is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
    except ValidationError as exc:
        errors["location"] = exc.messages
        lat_v = lng_v = None
    try:
        accuracy = float(accuracy_m) if accuracy_m not in (None, "") else None
    except (TypeError, ValueError):
        accuracy = None
    if errors:
        raise ValidationError(errors)
    clean = clean_photos(list(photos))  # before the transaction: decoding takes time

    wlng = wlat = None
    if lat_v is not None and lng_v is not None:
        wlng, wlat = geo.to_wgs84(lng_v, lat_v, datum)
    placement = geo.place(
        wlng, wlat, accuracy, low_accuracy_m=getattr(settings, "REPORT_LOW_ACCURACY_M", 1000)
    )
    county_code, county_name = placement.county_code, placement.county_name
    address = (address or "").strip()[:200]
    if not county_code and address and placement.flag == geo.LocationFlag.MISSING:
        area = geo.county_from_address(address)
        if area is not None:
            county_code, county_name = area.code, area.name

    priority = workflow.provisional_priority(hazard, bool(lives_in_danger))
    submitted_at = min(submitted_at or now, now)

    with transaction.atomic():
        report = Report(
            account=account,
            ticket=next_ticket(at=now),
            channel=channel,
            hazard=hazard,
            description=description,
            lives_in_danger=bool(lives_in_danger),
            priority=priority,
            state=State.RECEIVED,
            lat=round(wlat, 6) if wlat is not None else None,
            lng=round(wlng, 6) if wlng is not None else None,
            input_datum=datum,
            accuracy_m=accuracy,
            address=address,
            county_code=county_code,
            county_name=county_name,
            location_flag=placement.flag,
            reporter_openid=openid,
            reporter_phone_sealed=phones.seal(phone),
            reporter_phone_hash=phones.digest(phone),
            reporter_phone_masked=phones.mask(phone),
            reporter_name_sealed=phones.seal((name or "").strip()[:40]),
            entered_by=_user(actor),
            api_key=actor.key if isinstance(actor, ApiClient) else None,
            submitted_at=submitted_at,
            created_at=now,
            auto_ack_at=now,
            due_at=workflow.due_at(priority, submitted_at),
        )
        if channel == Channel.PHONE:
            # The duty officer who took the call has acknowledged it by entering it.
            report.first_ack_at = now
            report.handler = actor
        report.save()
        for photo in clean:
            _store_photo(report, photo)
        from zhengwei.reports.selectors import duplicate_candidates

        suggestions = duplicate_candidates(report)
        report.suggested_duplicates.set(suggestions)
        _step(
            report,
            StepKind.RECEIVE,
            actor=actor,
            from_state="",
            public_note=notices.received(report),
            internal_note=internal_note,
            data={
                "channel": channel,
                "photos": len(clean),
                "location_flag": str(placement.flag),
                "suggested_duplicates": [r.ticket for r in suggestions],
            },
            at=now,
        )
        _audit(actor, "report.receive", report)
        publish_on_commit(
            "report.received",
            report_id=report.pk,
            ticket=report.ticket,
            account_id=account.pk,
            channel=str(channel),
            hazard=str(hazard),
            priority=str(priority),
            lives_in_danger=report.lives_in_danger,
            county_code=county_code,
            location_flag=str(placement.flag),
            suggested_duplicate_ids=[r.pk for r in suggestions],
            status_path=links.status_path(report.ticket),
        )
    return report


def report_add_photos(*, actor, report: Report, photos: Iterable, note: str = "") -> Report:
    """More photos from the reporter, or site photos from the unit or the office."""
    clean = clean_photos(list(photos))
    if not clean:
        raise ValidationError(_("Choose at least one photo."))
    with transaction.atomic():
        _lock(report)
        if isinstance(actor, Citizen):
            if not actor.owns(report):
                raise _denied()
        else:
            _require_unit_or_duty(actor, report)
        if report.state in workflow.CLOSED_STATES:
            raise IllegalTransition(_("The report is closed."))
        existing = report.photos.count()
        if existing + len(clean) > 3 * 9:
            raise ValidationError(_("This report already has too many photos."))
        for photo in clean:
            _store_photo(report, photo)
        _step(
            report,
            StepKind.PHOTOS,
            actor=actor,
            from_state=report.state,
            internal_note=note,
            data={"photos": len(clean)},
        )
        _audit(actor, "report.add_photos", report, note=f"{len(clean)}")
    return report


# --- handling by the office ----------------------------------------------------------------
def report_ack(
    *, actor, report: Report, public_note: str = "", now: datetime | None = None
) -> Report:
    """A duty officer takes the report up and tells the citizen (the headline acknowledgement)."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(report)
        _require(actor, P.REPORTS_TRIAGE, report)
        if report.first_ack_at is not None:
            raise IllegalTransition(_("The report has already been acknowledged."))
        if report.state in workflow.DONE_STATES:
            raise IllegalTransition(_("The report is already finished."))
        before = snapshot(report, AUDIT_FIELDS)
        report.first_ack_at = report.first_ack_at or now
        report.handler = actor
        report.save()
        _step(
            report,
            StepKind.ACK,
            actor=actor,
            from_state=report.state,
            public_note=public_note or notices.default(StepKind.ACK, report),
            at=now,
        )
        _audit(actor, "report.ack", report, before)
        publish_on_commit(
            "report.acknowledged",
            report_id=report.pk,
            account_id=report.account_id,
            user_id=actor.pk,
        )
    return report


def report_triage(
    *,
    actor,
    report: Report,
    priority: str,
    hazard: str | None = None,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose a priority.")]})
    if hazard is not None and hazard not in Hazard.values:
        raise ValidationError({"hazard": [_("Choose what happened.")]})
    with transaction.atomic():
        _lock(report)
        _require(actor, P.REPORTS_TRIAGE, report)
        hazard = hazard or report.hazard
        _advance(
            report,
            State.TRIAGED,
            StepKind.TRIAGE,
            actor=actor,
            now=now,
            action="report.triage",
            acknowledge=True,
            changes={
                "priority": priority,
                "hazard": hazard,
                "triaged_at": report.triaged_at or now,
                "due_at": workflow.due_at(priority, _clock_start(report)),
            },
            public_note=public_note,
            internal_note=internal_note,
            data={"priority": priority, "hazard": hazard},
        )
        publish_on_commit(
            "report.triaged",
            report_id=report.pk,
            account_id=report.account_id,
            priority=priority,
            hazard=str(report.hazard),
        )
    return report


def report_dispatch(
    *,
    actor,
    report: Report,
    unit: Organisation | None = None,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """To a unit (chosen, or by the county × hazard routing rules) and its officer on duty."""
    from zhengwei.reports.selectors import route_for

    now = now or timezone.now()
    with transaction.atomic():
        _lock(report)
        _require(actor, P.REPORTS_DISPATCH, report)
        workflow.check_move(report.state, State.DISPATCHED)
        rule = None
        if unit is None:
            unit, rule = route_for(report)
            if unit is None:
                raise ValidationError(
                    _("No routing rule covers this county and hazard: choose the unit yourself.")
                )
        if (
            unit.kind != OrgKind.UNIT
            or unit.parent_id != report.account.office_id
            or not unit.is_active
        ):
            raise ValidationError(_("%(unit)s is not a unit of this office.") % {"unit": unit})
        assignee = _unit_officer_on_duty(unit, report.account, now)
        _advance(
            report,
            State.DISPATCHED,
            StepKind.DISPATCH,
            actor=actor,
            now=now,
            action="report.dispatch",
            acknowledge=True,
            changes={
                "assigned_unit": unit,
                "assignee": assignee,
                "dispatched_at": report.dispatched_at or now,
                "signed_at": None,
            },
            public_note=public_note,
            default_note=True,
            internal_note=internal_note,
            data={
                "unit": unit.pk,
                "unit_name": str(unit),
                "assignee": assignee.pk if assignee else None,
                "rule": rule.pk if rule else None,
                "nobody_on_duty": assignee is None,
            },
        )
        publish_on_commit(
            "report.dispatched",
            report_id=report.pk,
            account_id=report.account_id,
            unit_id=unit.pk,
            assignee_id=assignee.pk if assignee else None,
        )
    return report


# --- handling by the unit ------------------------------------------------------------------
def report_sign(
    *, actor, report: Report, internal_note: str = "", now: datetime | None = None
) -> Report:
    """签收: an officer of the assigned unit takes charge."""
    now = now or timezone.now()
    return _handle(
        report,
        State.SIGNED,
        StepKind.SIGN,
        actor=actor,
        now=now,
        authorize=_require_assigned_unit,
        action="report.sign",
        acknowledge=False,
        changes={"assignee": actor, "signed_at": now},
        default_note=True,
        internal_note=internal_note,
    )


def report_contact(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """The reporter was called back or messaged (响应). Moves a signed report on to ``contacted``."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(report)
        _require_unit_or_duty(actor, report)
        if report.state not in workflow.OPEN_STATES:
            raise IllegalTransition(_("The report is already finished."))
        before = snapshot(report, AUDIT_FIELDS)
        _ensure_ack(report, actor, now)
        report.contacted_at = report.contacted_at or now
        if report.state == State.SIGNED:
            _move(
                report,
                State.CONTACTED,
                StepKind.CONTACT,
                actor=actor,
                now=now,
                public_note=public_note,
                internal_note=internal_note,
            )
        else:
            report.save()
            _step(
                report,
                StepKind.CONTACT,
                actor=actor,
                from_state=report.state,
                public_note=public_note,
                internal_note=internal_note,
                at=now,
            )
        _audit(actor, "report.contact", report, before)
    return report


def report_progress(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    if not (public_note or internal_note).strip():
        raise ValidationError(_("Say what is being done."))
    return _handle(
        report,
        State.IN_PROGRESS,
        StepKind.PROGRESS,
        actor=actor,
        now=now,
        authorize=_require_unit_or_duty,
        action="report.progress",
        acknowledge=False,
        public_note=public_note,
        internal_note=internal_note,
    )


def report_resolve(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    return _handle(
        report,
        State.RESOLVED,
        StepKind.RESOLVE,
        actor=actor,
        now=now,
        authorize=_require_unit_or_duty,
        action="report.resolve",
        acknowledge=True,
        changes={"resolved_at": now},
        public_note=public_note,
        default_note=True,
        internal_note=internal_note,
    )


def report_close(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    now = now or timezone.now()
    return _handle(
        report,
        State.CLOSED,
        StepKind.CLOSE,
        actor=actor,
        now=now,
        authorize=_require_office,
        action="report.close",
        acknowledge=False,
        changes={"closed_at": now},
        public_note=public_note,
        default_note=True,
        internal_note=internal_note,
    )


# --- honest outcomes -------------------------------------------------------------------------
def _root(report: Report) -> Report:
    seen = set()
    while report.duplicate_of_id and report.pk not in seen:
        seen.add(report.pk)
        report = report.duplicate_of
    return report


def report_merge(
    *,
    actor,
    parent: Report,
    duplicates: Iterable[Report],
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Mark reports as duplicates of ``parent`` (or of its own parent) and tell every reporter."""
    now = now or timezone.now()
    duplicates = list(duplicates)
    if not duplicates:
        raise ValidationError(_("Choose the reports to merge."))
    with transaction.atomic():
        _lock(parent)
        root = _root(parent)
        _require(actor, P.REPORTS_TRIAGE, root)
        if root.state == State.REJECTED:
            raise ValidationError(_("Reports cannot be merged into a rejected report."))
        merged, notify = [], {root.pk}
        for report in duplicates:
            _lock(report)
            _require(actor, P.REPORTS_TRIAGE, report)
            if report.pk == root.pk:
                raise ValidationError(_("A report cannot be a duplicate of itself."))
            if report.account_id != root.account_id:
                raise ValidationError(_("Only reports of the same account can be merged."))
            _advance(
                report,
                State.DUPLICATE,
                StepKind.DUPLICATE,
                actor=actor,
                now=now,
                action="report.mark_duplicate",
                acknowledge=True,
                changes={"duplicate_of": root, "closed_at": now},
                public_note=public_note,
                default_note=True,
                internal_note=internal_note,
                data={"parent": root.ticket},
            )
            # Reports merged into this one follow it to the root.
            for child in Report.objects.filter(duplicate_of=report):
                child_before = snapshot(child, AUDIT_FIELDS)
                child.duplicate_of = root
                child.save(update_fields=["duplicate_of", "updated_at"])
                _audit(actor, "report.mark_duplicate", child, child_before)
                notify.add(child.pk)
            merged.append(report)
            notify.add(report.pk)
        _step(
            root,
            StepKind.MERGE,
            actor=actor,
            from_state=root.state,
            public_note=notices.default(StepKind.MERGE, root),
            data={"merged": [r.ticket for r in merged]},
            at=now,
        )
        family = [root.pk, *Report.objects.filter(duplicate_of=root).values_list("pk", flat=True)]
        publish_on_commit(
            "report.merged",
            parent_id=root.pk,
            merged_ids=[r.pk for r in merged],
            report_ids=sorted(family),
            notify_report_ids=sorted(notify),
            account_id=root.account_id,
        )
    return root


def report_mark_duplicate(
    *,
    actor,
    report: Report,
    parent: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    report_merge(
        actor=actor,
        parent=parent,
        duplicates=[report],
        public_note=public_note,
        internal_note=internal_note,
        now=now,
    )
    report.refresh_from_db()
    return report


def report_refer(
    *,
    actor,
    report: Report,
    to: str,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Not a flood-control matter: handed to 12345 or another department (closed, honestly)."""
    now = now or timezone.now()
    to = (to or "").strip()
    if not to:
        raise ValidationError({"to": [_("Say where the report was referred to.")]})
    return _handle(
        report,
        State.REFERRED,
        StepKind.REFER,
        actor=actor,
        now=now,
        authorize=_require_triage,
        action="report.refer",
        acknowledge=True,
        changes={"closed_at": now},
        public_note=public_note
        or _("Your report %(ticket)s is not a flood-control matter; it was passed to %(to)s.")
        % {"ticket": report.ticket, "to": to},
        internal_note=internal_note,
        data={"to": to[:100]},
        audit_note=to[:100],
    )


def report_reject(
    *,
    actor,
    report: Report,
    reason: str,
    public_note: str = "",
    now: datetime | None = None,
) -> Report:
    """False or abusive: closed as rejected, with the reason recorded (required)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for rejecting the report.")]})
    return _handle(
        report,
        State.REJECTED,
        StepKind.REJECT,
        actor=actor,
        now=now,
        authorize=_require_triage,
        action="report.reject",
        acknowledge=True,
        changes={"closed_at": now},
        public_note=public_note,
        internal_note=reason,
        data={"reason": reason[:200]},
        audit_note=reason[:200],
    )


def report_reopen(*, actor, report: Report, reason: str, now: datetime | None = None) -> Report:
    """New evidence: an officer reopens a finished report."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is reopened.")]})
    with transaction.atomic():
        _lock(report)
        _require_office(actor, report)
        _reopen(report, actor=actor, now=now, kind=StepKind.REOPEN, internal_note=reason)
    return report


def _reopen(report: Report, *, actor, now: datetime, kind: str, internal_note: str) -> None:
    _advance(
        report,
        State.REOPENED,
        kind,
        actor=actor,
        now=now,
        action="report.reopen",
        acknowledge=False,
        changes={
            "reopened_at": now,
            "reopen_count": report.reopen_count + 1,
            "resolved_at": None,
            "closed_at": None,
            "escalation_level": 0,
            "due_at": workflow.due_at(report.priority, now),
        },
        default_note=True,
        internal_note=internal_note,
    )
    publish_on_commit(
        "report.reopened",
        report_id=report.pk,
        account_id=report.account_id,
        by_citizen=kind == StepKind.CITIZEN_REJECT,
    )


def report_citizen_reject_closure(
    *, actor, report: Report, reason: str = "", now: datetime | None = None
) -> Report:
    """The reporter says it is not dealt with: reopen, and 督办 to the duty leader."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(report)
        if isinstance(actor, Citizen):
            if not actor.owns(report):
                raise _denied()
        else:  # a duty officer recording what the reporter said on the phone (回访)
            _require(actor, P.REPORTS_CLOSE, report)
        if report.state not in (State.RESOLVED, State.CLOSED):
            raise IllegalTransition(_("Only a resolved or closed report can be disputed."))
        _reopen(
            report,
            actor=actor,
            now=now,
            kind=StepKind.CITIZEN_REJECT,
            internal_note=(reason or "").strip()[:1000],
        )
        _supervise(
            report,
            actor=actor,
            now=now,
            reason=_("The reporter rejected the closure."),
            automatic=False,
        )
    return report


def report_escalate(
    *,
    actor,
    report: Report,
    reason: str,
    emergency: bool = False,
    public_note: str = "",
    now: datetime | None = None,
) -> Report:
    """Emergency (P0, 110/119 hand-off, duty leader alerted) or 督办 one level up."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is escalated.")]})
    with transaction.atomic():
        _lock(report)
        _require(actor, P.REPORTS_ESCALATE, report)
        if emergency:
            level = max(report.escalation_level, 1)
            _advance(
                report,
                State.ESCALATED,
                StepKind.ESCALATE,
                actor=actor,
                now=now,
                action="report.escalate",
                acknowledge=True,
                changes={
                    "priority": Priority.P0,
                    "due_at": min(
                        report.due_at, workflow.due_at(Priority.P0, _clock_start(report))
                    ),
                    "escalation_level": level,
                    "escalated_at": now,
                },
                public_note=public_note,
                internal_note=reason,
                data={"level": level, "emergency": True},
            )
            _publish_escalated(report, now, emergency=True, automatic=False)
        else:
            _supervise(report, actor=actor, now=now, reason=reason, automatic=False)
    return report


def _supervise(report: Report, *, actor, now: datetime, reason: str, automatic: bool) -> None:
    if report.state in workflow.DONE_STATES:
        raise IllegalTransition(_("A finished report cannot be escalated."))
    if report.escalation_level >= workflow.MAX_ESCALATION_LEVEL:
        raise IllegalTransition(_("The report is already with the office leader."))
    before = snapshot(report, AUDIT_FIELDS)
    report.escalation_level += 1
    report.escalated_at = now
    report.save()
    _step(
        report,
        StepKind.SUPERVISE,
        actor=actor,
        from_state=report.state,
        internal_note=reason,
        data={"level": report.escalation_level, "automatic": automatic},
        at=now,
    )
    _audit(actor, "report.supervise", report, before, note=reason[:200])
    _publish_escalated(report, now, emergency=False, automatic=automatic)


def _publish_escalated(report: Report, now: datetime, *, emergency: bool, automatic: bool) -> None:
    publish_on_commit(
        "report.escalated",
        report_id=report.pk,
        ticket=report.ticket,
        account_id=report.account_id,
        level=report.escalation_level,
        emergency=emergency,
        automatic=automatic,
        notify_user_ids=escalation_targets(
            account=report.account, level=report.escalation_level, at=now
        ),
        unit_id=report.assigned_unit_id,
    )


def reports_escalate_overdue(*, now: datetime | None = None) -> list[tuple[str, int]]:
    """Move every overdue open report one level up per deadline period missed (run by reports_tick).

    Level 1 (duty leader) at the deadline, level 2 (office leader) one more deadline period later.
    Idempotent: running it twice at the same moment escalates nothing more.
    """
    now = now or timezone.now()
    done: list[tuple[str, int]] = []
    candidates = Report.objects.filter(
        state__in=workflow.OPEN_STATES,
        due_at__lt=now,
        escalation_level__lt=workflow.MAX_ESCALATION_LEVEL,
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            report = Report.objects.select_related("account").get(pk=pk)
            _lock(report)
            while (
                report.state in workflow.OPEN_STATES
                and report.escalation_level < workflow.MAX_ESCALATION_LEVEL
                and now
                >= workflow.escalation_due(report.escalation_level, report.due_at, report.priority)
            ):
                _supervise(
                    report,
                    actor=SYSTEM,
                    now=now,
                    reason=_("Overdue: the deadline %(due)s has passed.")
                    % {"due": timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M")},
                    automatic=True,
                )
                done.append((report.ticket, report.escalation_level))
    return done


# --- the citizen's verdict -------------------------------------------------------------------
def report_rate(
    *, actor, report: Report, rating: int, comment: str = "", now: datetime | None = None
) -> Report:
    now = now or timezone.now()
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Give a rating from 1 to 5.")]})
    with transaction.atomic():
        _lock(report)
        if isinstance(actor, Citizen):
            if not actor.owns(report):
                raise _denied()
        else:  # recorded by the office at a follow-up call (回访)
            _require(actor, P.REPORTS_CLOSE, report)
        if report.state not in (State.RESOLVED, State.CLOSED):
            raise IllegalTransition(_("Only a resolved or closed report can be rated."))
        if report.satisfaction is not None:
            raise IllegalTransition(_("This report has already been rated."))
        before = snapshot(report, AUDIT_FIELDS)
        report.satisfaction = rating
        report.rated_at = now
        report.save()
        _step(
            report,
            StepKind.RATE,
            actor=actor,
            from_state=report.state,
            internal_note=(comment or "").strip()[:500],
            data={"rating": rating},
            at=now,
        )
        _audit(actor, "report.rate", report, before)
        publish_on_commit(
            "report.rated", report_id=report.pk, account_id=report.account_id, rating=rating
        )
    return report


def report_note(
    *,
    actor,
    report: Report,
    public_note: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> Report:
    """A reply to the reporter or an internal remark, without changing the state."""
    if not (public_note or internal_note).strip():
        raise ValidationError(_("Write a note."))
    now = now or timezone.now()
    with transaction.atomic():
        _lock(report)
        _require_unit_or_duty(actor, report)
        if public_note.strip():
            _ensure_ack(report, actor, now)
        _step(
            report,
            StepKind.NOTE,
            actor=actor,
            from_state=report.state,
            public_note=public_note,
            internal_note=internal_note,
            at=now,
        )
        _audit(actor, "report.note", report)
    return report


# --- personal data ---------------------------------------------------------------------------
def report_reveal_phone(*, actor, report: Report) -> str:
    """The full phone number, for a permitted role, with an audit entry for every reveal."""
    if not isinstance(actor, User) or not P.may_on_report(actor, P.REPORTS_PERSONAL_DATA, report):
        audit_record(actor=_user(actor), action="report.phone_reveal", obj=report, outcome="denied")
        raise _denied()
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
        raise _denied()
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


# --- routing rules and API keys --------------------------------------------------------------
def routing_rule_save(
    *,
    actor,
    account: WeChatAccount,
    county_code: str,
    unit: Organisation,
    hazard: str = "",
    is_active: bool = True,
) -> RoutingRule:
    require(actor, P.REPORTS_ROUTING, account)
    area = geo.county_by_code(county_code)
    errors = {}
    if area is None:
        errors["county_code"] = [_("Unknown county code.")]
    if hazard and hazard not in Hazard.values:
        errors["hazard"] = [_("Choose what happened.")]
    if unit.kind != OrgKind.UNIT or unit.parent_id != account.office_id:
        errors["unit"] = [_("%(unit)s is not a unit of this office.") % {"unit": unit}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = RoutingRule.objects.filter(
            account=account, county_code=county_code, hazard=hazard
        ).first()
        before = snapshot(rule) if rule else None
        if rule is None:
            rule = RoutingRule(account=account, county_code=county_code, hazard=hazard)
        rule.county_name = area.name
        rule.unit = unit
        rule.is_active = is_active
        rule.save()
        b, a = diff(before, snapshot(rule)) if before else (None, snapshot(rule))
        audit_record(actor=actor, action="routing_rule.save", obj=rule, before=b, after=a)
        publish_on_commit("routing_rule.saved", rule_id=rule.pk, account_id=account.pk)
    return rule


def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require(actor, P.REPORTS_ROUTING, rule.account)
    with transaction.atomic():
        audit_record(actor=actor, action="routing_rule.delete", obj=rule, before=snapshot(rule))
        account_id = rule.account_id
        rule.delete()
        publish_on_commit("routing_rule.deleted", account_id=account_id)


def _hash_key(raw: str) -> str:
    # Keys are 32+ random bytes, so a fast hash is enough (as for other API tokens).
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(
    *, actor, account: WeChatAccount, name: str, raw_key: str | None = None
) -> tuple[ApiKey, str]:
    """Create an Open311 key; the raw key is returned once and only its hash is stored."""
    require(actor, P.REPORTS_API_KEYS, account)
    raw = raw_key or "zw_" + secrets.token_urlsafe(32)
    if len(raw) < 16:
        raise ValidationError(_("An API key needs at least 16 characters."))
    with transaction.atomic():
        key = ApiKey.objects.create(
            account=account, name=name.strip()[:80], prefix=raw[:8], key_hash=_hash_key(raw)
        )
        audit_record(actor=actor, action="api_key.create", obj=key, after={"name": key.name})
        publish_on_commit("api_key.created", api_key_id=key.pk, account_id=account.pk)
    return key, raw


def api_key_revoke(*, actor, key: ApiKey) -> ApiKey:
    require(actor, P.REPORTS_API_KEYS, key.account)
    with transaction.atomic():
        key.is_active = False
        key.save(update_fields=["is_active"])
        audit_record(actor=actor, action="api_key.revoke", obj=key)
        publish_on_commit("api_key.revoked", api_key_id=key.pk, account_id=key.account_id)
    return key


def api_key_check(raw: str) -> ApiKey | None:
    if not raw:
        return None
    key = (
        ApiKey.objects.select_related("account")
        .filter(key_hash=_hash_key(raw), is_active=True)
        .first()
    )
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
