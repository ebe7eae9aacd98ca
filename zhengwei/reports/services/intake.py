"""Intake: a report arrives (any channel) and photos are added to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import denied, require
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.lib.text import has_nul
from zhengwei.orgs.models import OrgKind, User, WeChatAccount
from zhengwei.reports import geo, links, notices, phones, ratelimit, workflow
from zhengwei.reports import policy as P
from zhengwei.reports.actors import ApiClient, Citizen
from zhengwei.reports.models import (
    Channel,
    Datum,
    Hazard,
    Report,
    State,
    StepKind,
)
from zhengwei.reports.photos import clean_photos
from zhengwei.reports.selectors import duplicate_candidates
from zhengwei.reports.services.common import (
    _audit,
    _require_unit_or_duty,
    _step,
    _store_photo,
    _user,
)
from zhengwei.reports.tickets import next_ticket
from zhengwei.reports.workflow import IllegalTransition


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


class RateLimited(ValidationError):
    """The citizen (or Open311 client) sent too many reports in the window (reports.ratelimit)."""


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
    or an ``ApiClient`` (Open311). Missing or odd locations are flagged, never refused. Citizens
    and Open311 clients are rate-limited here, whatever the channel (``RateLimited``).
    """
    now = now or timezone.now()
    openid = _check_reporter(actor, account, channel)
    _check_rate(actor)
    fields = _validate(
        channel=channel,
        openid=openid,
        hazard=hazard,
        description=description,
        address=address,
        name=name,
        phone=phone,
        datum=datum,
        lat=lat,
        lng=lng,
        accuracy_m=accuracy_m,
    )
    clean = clean_photos(list(photos))  # before the transaction: decoding takes time
    place = _locate(fields, datum=datum, address=address)
    priority = workflow.provisional_priority(hazard, bool(lives_in_danger))
    submitted_at = min(submitted_at or now, now)
    with transaction.atomic():
        report = Report(
            account=account,
            ticket=next_ticket(at=now),
            channel=channel,
            hazard=hazard,
            description=fields.description,
            lives_in_danger=bool(lives_in_danger),
            priority=priority,
            state=State.RECEIVED,
            lat=round(place.lat, 6) if place.lat is not None else None,
            lng=round(place.lng, 6) if place.lng is not None else None,
            input_datum=datum,
            accuracy_m=fields.accuracy,
            address=place.address,
            county_code=place.county_code,
            county_name=place.county_name,
            location_flag=place.flag,
            reporter_openid=openid,
            reporter_phone_sealed=phones.seal(fields.phone, "reporter_phone"),
            reporter_phone_hash=phones.digest(fields.phone),
            reporter_phone_masked=phones.mask(fields.phone),
            reporter_name_sealed=phones.seal((name or "").strip()[:40], "reporter_name"),
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
        _acknowledge(report, actor=actor, photos=len(clean), internal_note=internal_note, now=now)
    return report


def _check_reporter(actor, account: WeChatAccount, channel: str) -> str:
    """Who may report on which channel; returns the reporter's openid (citizens in WeChat)."""
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
            raise denied()
        openid = actor.openid
    elif isinstance(actor, ApiClient):
        if channel != Channel.OPEN311 or not actor.key.is_active:
            raise denied()
        if actor.key.account_id != account.pk:
            raise denied()
    else:
        raise denied()
    if not account.is_active:
        raise ValidationError(_("This account no longer takes reports."))
    return openid


def _check_rate(actor) -> None:
    """Count one submission against the citizen's (openid, phone, address) or the client's
    limits; the office's own people are not limited."""
    if isinstance(actor, Citizen):
        limits = ratelimit.keys_for(
            openid=actor.openid, phone_hash=actor.phone_hash, ip=actor.ip or ""
        )
    elif isinstance(actor, ApiClient):
        limits = ratelimit.keys_for(api_key_id=actor.key.pk)
    else:
        return
    if not ratelimit.hit(limits):
        raise RateLimited(
            _(
                "You have sent several reports in the last few minutes. Wait ten minutes and try "
                "again; if lives are in danger call 110 or 119 now."
            )
        )


@dataclass(frozen=True)
class _Fields:
    description: str
    phone: str
    lat: float | None
    lng: float | None
    accuracy: float | None


def _validate(
    *, channel, openid, hazard, description, address, name, phone, datum, lat, lng, accuracy_m
) -> _Fields:
    """Every field's problem at once (a ValidationError by field), or the clean values."""
    errors: dict[str, list[str]] = {}
    for field_name, value in (("description", description), ("address", address), ("name", name)):
        if has_nul(value):  # PostgreSQL cannot store it: a DataError on save
            errors[field_name] = [_("The text contains a character that cannot be stored (NUL).")]
    if hazard not in Hazard.values:
        errors["hazard"] = [_("Choose what happened.")]
    description = (description or "").strip()
    if len(description) > 2000 and "description" not in errors:
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
    return _Fields(description, phone, lat_v, lng_v, accuracy)


@dataclass(frozen=True)
class _Place:
    lat: float | None  # WGS-84
    lng: float | None
    flag: str
    county_code: str
    county_name: str
    address: str


def _locate(fields: _Fields, *, datum: str, address: str) -> _Place:
    """WGS-84 coordinates, the county (from the point, else from the address) and the flag."""
    wlng = wlat = None
    if fields.lat is not None and fields.lng is not None:
        wlng, wlat = geo.to_wgs84(fields.lng, fields.lat, datum)
    placement = geo.place(
        wlng, wlat, fields.accuracy, low_accuracy_m=settings.REPORT_LOW_ACCURACY_M
    )
    county_code, county_name = placement.county_code, placement.county_name
    address = (address or "").strip()[:200]
    if not county_code and address and placement.flag == geo.LocationFlag.MISSING:
        area = geo.county_from_address(address)
        if area is not None:
            county_code, county_name = area.code, area.name
    return _Place(wlat, wlng, placement.flag, county_code, county_name, address)


def _acknowledge(report: Report, *, actor, photos: int, internal_note: str, now: datetime) -> None:
    """The receive step (its public note is the citizen's acknowledgement with the ticket), the
    suggested duplicates, the audit entry and ``report.received``."""
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
            "channel": report.channel,
            "photos": photos,
            "location_flag": str(report.location_flag),
            "suggested_duplicates": [r.ticket for r in suggestions],
        },
        at=now,
    )
    _audit(actor, "report.receive", report)
    publish_on_commit(
        "report.received",
        report_id=report.pk,
        ticket=report.ticket,
        account_id=report.account_id,
        channel=str(report.channel),
        hazard=str(report.hazard),
        priority=str(report.priority),
        lives_in_danger=report.lives_in_danger,
        county_code=report.county_code,
        location_flag=str(report.location_flag),
        suggested_duplicate_ids=[r.pk for r in suggestions],
        status_path=links.status_path(report.ticket),
    )


def report_add_photos(*, actor, report: Report, photos: Iterable, note: str = "") -> Report:
    """More photos from the reporter, or site photos from the unit or the office."""
    clean = clean_photos(list(photos))
    if not clean:
        raise ValidationError(_("Choose at least one photo."))
    with transaction.atomic():
        lock(report)
        if isinstance(actor, Citizen):
            if not actor.owns(report):
                raise denied()
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
