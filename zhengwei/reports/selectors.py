"""Reads of disaster reports, with the policy applied.

Office-wide roles see all of their account's reports; a unit officer sees only the reports
dispatched to (or entered by) their unit; contractor members see none — only ``report_counts``
and ``report_metrics``, which carry no personal data.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import accounts_for, require
from zhengwei.lib.privacy import Lens
from zhengwei.orgs.models import Organisation, OrgKind, User, WeChatAccount
from zhengwei.reports import geo, workflow
from zhengwei.reports import policy as P
from zhengwei.reports.models import (
    CITIZEN_CHANNELS,
    EmergencyPeriod,
    Hazard,
    Priority,
    Report,
    ReportPhoto,
    ReportStep,
    RoutingRule,
    State,
    StepKind,
)
from zhengwei.wechat.outbound.models import OutboundMessage, OutboundState


# --- scope -----------------------------------------------------------------------------------
def report_queryset(*, user, account: WeChatAccount | None = None) -> QuerySet[Report]:
    qs = Report.objects.select_related(
        "account", "assigned_unit", "assignee", "handler", "entered_by"
    )
    condition = Q(pk__in=[])
    for acc in accounts_for(user, P.REPORTS_VIEW):
        if account is not None and acc.pk != account.pk:
            continue
        if P.office_wide(user, acc):
            condition |= Q(account=acc)
        elif getattr(user, "organisation_id", None):
            condition |= Q(account=acc) & (
                Q(assigned_unit_id=user.organisation_id)
                | Q(entered_by__organisation_id=user.organisation_id)
            )
    return qs.filter(condition)


def report_list(
    *,
    user,
    account: WeChatAccount | None = None,
    filters: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> QuerySet[Report]:
    """Filters: state ("open", "done" or a state), priority, hazard, county, channel, flag,
    overdue (truthy), q (ticket), start/end (received between)."""
    if not accounts_for(user, P.REPORTS_VIEW):
        raise PermissionDenied
    now = now or timezone.now()
    qs = report_queryset(user=user, account=account)
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}
    state = f.get("state")
    if state == "open":
        qs = qs.filter(state__in=workflow.OPEN_STATES)
    elif state == "done":
        qs = qs.filter(state__in=workflow.DONE_STATES)
    elif state in State.values:
        qs = qs.filter(state=state)
    if f.get("priority"):
        qs = qs.filter(priority=f["priority"])
    if f.get("hazard"):
        qs = qs.filter(hazard=f["hazard"])
    if f.get("county"):
        qs = qs.filter(county_code=f["county"])
    if f.get("channel"):
        qs = qs.filter(channel=f["channel"])
    if f.get("flag"):
        qs = qs.filter(location_flag=f["flag"])
    if f.get("overdue") in (True, "1", "true", "on", "yes"):
        qs = qs.filter(state__in=workflow.OPEN_STATES, due_at__lt=now)
    if f.get("q"):
        qs = qs.filter(ticket__icontains=str(f["q"]).strip())
    if f.get("start"):
        qs = qs.filter(created_at__gte=f["start"])
    if f.get("end"):
        qs = qs.filter(created_at__lt=f["end"])
    return qs


def report_get(*, user, ticket: str) -> Report:
    if not accounts_for(user, P.REPORTS_VIEW):
        raise PermissionDenied
    report = report_queryset(user=user).filter(ticket=ticket).first()
    if report is None:
        raise Http404
    return report


def report_timeline(*, user, report: Report) -> list[ReportStep]:
    if not P.report_in_scope(user, report):
        raise PermissionDenied
    return list(report.steps.select_related("actor"))


def report_photos(*, user, report: Report) -> list[ReportPhoto]:
    """The report's photos, for those who may see personal data on it (a photo shows the place,
    the people and often the reporter): the auditor and others in scope see none."""
    if not P.report_in_scope(user, report):
        raise PermissionDenied
    if not may_see_phone(user, report):
        return []
    return list(report.photos.all())


def report_lens(user, report: Report, *, revealed: bool = False) -> Lens:
    """What ``user`` sees of the reporter's personal data on ``report`` (zhengwei.lib.privacy):
    free text masked (the reporter's own name too) until an audited reveal; exact coordinates
    only for those with ``reports.personal_data.view``."""
    personal = may_see_phone(user, report)
    names = (report.reporter_name,) if report.reporter_name_sealed else ()
    return Lens(
        account_id=report.account_id,
        personal=personal,
        revealed=revealed and personal,
        names=names,
    )


def photo_get(*, user, pk: int, original: bool = False) -> ReportPhoto:
    photo = (
        ReportPhoto.objects.select_related("report__account", "report__entered_by")
        .filter(pk=pk)
        .first()
    )
    if photo is None or not P.report_in_scope(user, photo.report):
        raise Http404
    if not may_see_phone(user, photo.report):
        raise PermissionDenied
    if original and not P.may_on_report(user, P.REPORTS_PHOTO_ORIGINAL, photo.report):
        raise PermissionDenied
    return photo


def may_see_phone(user, report: Report) -> bool:
    return P.may_on_report(user, P.REPORTS_PERSONAL_DATA, report)


# --- what a person may do next ---------------------------------------------------------------
def report_actions(*, user, report: Report) -> list[str]:
    """The actions offered on the detail page (each is one service; the service checks again)."""
    if not isinstance(user, User) or not P.report_in_scope(user, report):
        return []

    duty = P.on_duty_desk(user, report.account)
    office = P.office_wide(user, report.account)
    in_unit = P.in_assigned_unit(user, report)
    s = report.state
    can = workflow.can_move
    out: list[str] = []

    def allowed(action: str) -> bool:
        return P.may_on_report(user, action, report)

    if allowed(P.REPORTS_TRIAGE):
        if report.first_ack_at is None and s not in workflow.DONE_STATES:
            out.append("ack")
        if can(s, State.TRIAGED):
            out.append("triage")
    if allowed(P.REPORTS_DISPATCH) and can(s, State.DISPATCHED):
        out.append("dispatch")
    if in_unit and can(s, State.SIGNED):
        out.append("sign")
    worker = duty or in_unit
    if worker and allowed(P.REPORTS_WORK):
        if s in workflow.OPEN_STATES:
            out.append("contact")
        if can(s, State.IN_PROGRESS):
            out.append("progress")
        if can(s, State.RESOLVED):
            out.append("resolve")
    if allowed(P.REPORTS_ESCALATE):
        if can(s, State.ESCALATED):
            out.append("escalate")
        if s in workflow.OPEN_STATES and report.escalation_level < workflow.MAX_ESCALATION_LEVEL:
            out.append("supervise")
    if allowed(P.REPORTS_TRIAGE):
        for verb, state in (
            ("duplicate", State.DUPLICATE),
            ("refer", State.REFERRED),
            ("reject", State.REJECTED),
        ):
            if can(s, state):
                out.append(verb)
    if allowed(P.REPORTS_CLOSE) and office:
        if can(s, State.CLOSED):
            out.append("close")
        if can(s, State.REOPENED):
            out.append("reopen")
        if s in (State.RESOLVED, State.CLOSED) and report.satisfaction is None:
            out.append("rate")
    if worker and s not in workflow.CLOSED_STATES:
        out.append("note")
    return out


# --- duplicates and routing ------------------------------------------------------------------
def duplicate_candidates(report: Report, *, limit: int = 5) -> list[Report]:
    """Reports that are likely the same event: same hazard within the radius and time window, or
    the same reporter within the window. Closed-as-duplicate and rejected reports are skipped."""
    window = timedelta(hours=settings.REPORT_DUPLICATE_WINDOW_HOURS)
    radius = settings.REPORT_DUPLICATE_RADIUS_M
    qs = (
        Report.objects.filter(
            account_id=report.account_id,
            created_at__gte=report.created_at - window,
            created_at__lte=report.created_at + window,
        )
        .exclude(pk=report.pk)
        .exclude(state__in=[State.DUPLICATE, State.REJECTED])
    )
    same_reporter = Q(pk__in=[])
    if report.reporter_openid:
        same_reporter |= Q(reporter_openid=report.reporter_openid)
    if report.reporter_phone_hash:
        same_reporter |= Q(reporter_phone_hash=report.reporter_phone_hash)
    nearby = Q(pk__in=[])
    if report.has_location:
        dlat = radius / 111195.0
        dlng = dlat / max(math.cos(math.radians(report.lat)), 0.01)
        nearby = Q(
            hazard=report.hazard,
            lat__gte=report.lat - dlat,
            lat__lte=report.lat + dlat,
            lng__gte=report.lng - dlng,
            lng__lte=report.lng + dlng,
        )
    scored = []
    for other in qs.filter(same_reporter | nearby)[:200]:
        if other.has_location and report.has_location:
            distance = geo.haversine_m(report.lng, report.lat, other.lng, other.lat)
        else:
            distance = math.inf
        same_person = (
            report.reporter_openid and other.reporter_openid == report.reporter_openid
        ) or (
            report.reporter_phone_hash and other.reporter_phone_hash == report.reporter_phone_hash
        )
        if same_person or (other.hazard == report.hazard and distance <= radius):
            scored.append((distance, other.created_at, other))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in scored[:limit]]


def route_for(report: Report) -> tuple[Organisation | None, RoutingRule | None]:
    """County × hazard rule, then the county's any-hazard rule, then a unit whose region is the county."""
    if not report.county_code:
        return None, None
    rules = RoutingRule.objects.filter(
        account_id=report.account_id,
        county_code=report.county_code,
        is_active=True,
        unit__is_active=True,
    ).select_related("unit")
    rule = rules.filter(hazard=report.hazard).first() or rules.filter(hazard="").first()
    if rule is not None:
        return rule.unit, rule
    unit = Organisation.objects.filter(
        kind=OrgKind.UNIT,
        parent_id=report.account.office_id,
        region_code=report.county_code,
        is_active=True,
    ).first()
    return unit, None


def routing_rules(*, user, account: WeChatAccount) -> QuerySet[RoutingRule]:
    require(user, P.REPORTS_ROUTING, account)
    return RoutingRule.objects.filter(account=account).select_related("unit")


def is_unit_of(unit: Organisation, account: WeChatAccount) -> bool:
    """The organisation is one of the account's office's units (the only places a report of
    that account may be routed or dispatched to)."""
    return unit.kind == OrgKind.UNIT and unit.parent_id == account.office_id


def unit_of(account: WeChatAccount, pk) -> Organisation | None:
    """The unit ``pk`` (from a form) among the account's office's units; None when it is not one."""
    return Organisation.objects.filter(
        pk=pk, kind=OrgKind.UNIT, parent_id=account.office_id
    ).first()


def units_of(account: WeChatAccount) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrgKind.UNIT, parent_id=account.office_id, is_active=True
    ).order_by("region_code", "name")


# --- de-identified counts (every role, contractor included) ----------------------------------
def report_counts(
    *, user, account: WeChatAccount, start: datetime, end: datetime
) -> dict[str, Any]:
    """Counts by hazard, by state group, by prefecture city and by day: no person, no place
    finer than a city, no text."""
    require(user, P.REPORTS_COUNTS, account)
    rows = list(
        Report.objects.filter(
            account=account, created_at__gte=start, created_at__lt=end
        ).values_list("hazard", "state", "county_code", "created_at")
    )
    cities = {c.code: c.city for c in geo.counties()}
    # Named loop variables: ``_`` is the translation function here (a report without a city
    # once called a loop variable instead, and the page answered 500).
    unknown = _("Unknown")
    by_hazard = Counter(hazard for hazard, *rest in rows)
    by_group = Counter(
        "open"
        if state in workflow.OPEN_STATES
        else "resolved"
        if state in (State.RESOLVED, State.CLOSED)
        else "excluded"
        for hazard, state, county, at in rows
    )
    by_city = Counter(cities.get(county, "") or unknown for hazard, state, county, at in rows)
    by_day = Counter(
        timezone.localtime(at).date().isoformat() for hazard, state, county, at in rows
    )
    return {
        "total": len(rows),
        "by_hazard": {Hazard(h).label: n for h, n in by_hazard.most_common()},
        "by_state_group": dict(by_group),
        "by_city": dict(by_city.most_common()),
        "by_day": dict(sorted(by_day.items())),
    }


# --- metrics ---------------------------------------------------------------------------------
def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _p90(values: list[float]) -> float | None:
    """Nearest-rank 90th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)], 1)


def _stats(pairs: list[tuple[datetime | None, datetime | None]]) -> dict[str, Any]:
    values = [max(0.0, (b - a).total_seconds()) for a, b in pairs if a and b]
    return {"n": len(values), "median_s": _median(values), "p90_s": _p90(values)}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


EXCLUSION_NOTES = [
    "Duplicates, referred (not ours) and rejected (false) reports are excluded from the "
    "deadline, response, resolution, satisfaction and reopen figures, and counted separately.",
    "Acknowledgement times are measured on reports citizens sent themselves (chat, mobile form, "
    "Open311); phone-in and unit reports are entered by officials and would flatter them.",
    "Times run from the citizen's submission (submitted_at). Median: the middle value (mean of "
    "the two middle values for an even count); p90: nearest rank.",
    "Deadline compliance and the response rate count only reports whose deadline has passed or "
    "that were already resolved / contacted; the rest are 'pending'.",
    "Satisfaction: 4 or 5 stars out of the rated reports; unrated reports are excluded, and the "
    "share rated is given as coverage.",
    "Seen first by the office: the first person to open the report belonged to the office or one "
    "of its units, not the contractor.",
]


def awaiting_ack(qs: QuerySet[Report]) -> QuerySet[Report]:
    """尚未受理: open reports no duty officer has taken up yet, on any channel (a phone report is
    taken up by the officer who enters it). The console's headline and the dashboard both count
    this."""
    return qs.filter(state__in=workflow.OPEN_STATES, first_ack_at__isnull=True)


def report_metrics(
    account: WeChatAccount,
    start: datetime,
    end: datetime,
    *,
    user=None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The indicators of reporting.md §8 for reports received in [start, end)."""
    if user is not None:
        require(user, P.REPORTS_METRICS, account)
    now = now or timezone.now()
    reports = list(
        Report.objects.filter(account=account, created_at__gte=start, created_at__lt=end)
        .select_related("first_seen_by__organisation")
        .order_by("created_at")
    )
    by_state = Counter(r.state for r in reports)
    excluded = [r for r in reports if r.state in workflow.EXCLUDED_STATES]
    considered = [r for r in reports if r.state not in workflow.EXCLUDED_STATES]
    citizen = [r for r in reports if r.channel in CITIZEN_CHANNELS]

    met = missed = pending = 0
    for r in considered:
        if r.resolved_at is not None:
            if r.resolved_at <= r.due_at:
                met += 1
            else:
                missed += 1
        elif r.due_at <= now:
            missed += 1
        else:
            pending += 1

    responded = response_denominator = 0
    for r in considered:
        if r.contacted_at is not None or r.due_at <= now:
            response_denominator += 1
            if r.contacted_at is not None and r.contacted_at <= r.due_at:
                responded += 1

    finished = [r for r in considered if r.state in (State.RESOLVED, State.CLOSED)]
    rated = [r for r in considered if r.satisfaction is not None]
    satisfied = [r for r in rated if r.satisfaction >= 4]
    ever_finished = [r for r in considered if r in finished or r.reopen_count > 0]
    reopened = [r for r in considered if r.reopen_count > 0]
    seen = [r for r in reports if r.first_seen_by_id]
    seen_by_office = [
        r
        for r in seen
        if r.first_seen_by.organisation_id
        and r.first_seen_by.organisation.kind in (OrgKind.OFFICE, OrgKind.UNIT)
    ]
    overdue = Report.objects.filter(
        account=account, state__in=workflow.OPEN_STATES, due_at__lt=now
    ).values_list("due_at", flat=True)
    oldest = min(overdue, default=None)

    return {
        "account": account.original_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "generated_at": now.isoformat(),
        "counts": {
            "received": len(reports),
            "considered": len(considered),
            "by_state": {str(k): v for k, v in sorted(by_state.items())},
            "excluded": {
                "duplicate": by_state.get(State.DUPLICATE, 0),
                "referred": by_state.get(State.REFERRED, 0),
                "rejected": by_state.get(State.REJECTED, 0),
            },
        },
        "time_to_auto_ack": _stats([(r.submitted_at, r.auto_ack_at) for r in citizen]),
        "time_to_first_ack": {
            **_stats([(r.submitted_at, r.first_ack_at) for r in citizen]),
            # Now, on any channel: the console's 尚未受理 (the one definition, awaiting_ack).
            "not_yet": awaiting_ack(Report.objects.filter(account=account)).count(),
        },
        "time_to_dispatch": _stats([(r.submitted_at, r.dispatched_at) for r in considered]),
        "time_to_contact": _stats([(r.submitted_at, r.contacted_at) for r in considered]),
        "time_to_resolve": _stats([(r.submitted_at, r.resolved_at) for r in considered]),
        "deadline_compliance": {
            "met": met,
            "missed": missed,
            "pending": pending,
            "rate": _rate(met, met + missed),
        },
        "response_rate": {
            "responded_in_time": responded,
            "due": response_denominator,
            "rate": _rate(responded, response_denominator),
        },
        "resolution_rate": {
            "resolved": len(finished),
            "considered": len(considered),
            "rate": _rate(len(finished), len(considered)),
        },
        "satisfaction_rate": {
            "satisfied": len(satisfied),
            "rated": len(rated),
            "rate": _rate(len(satisfied), len(rated)),
            "coverage": _rate(len(rated), len(finished)),
        },
        "overdue_now": {
            "count": len(overdue),
            "oldest_overdue_s": round((now - oldest).total_seconds()) if oldest else None,
        },
        "duplicate_rate": {
            "duplicates": by_state.get(State.DUPLICATE, 0),
            "received": len(reports),
            "rate": _rate(by_state.get(State.DUPLICATE, 0), len(reports)),
        },
        "reopen_rate": {
            "reopened": len(reopened),
            "finished": len(ever_finished),
            "rate": _rate(len(reopened), len(ever_finished)),
        },
        "seen_first_by_office": {
            "office": len(seen_by_office),
            "seen": len(seen),
            "unseen": len(reports) - len(seen),
            "rate": _rate(len(seen_by_office), len(seen)),
        },
        "excluded_reports": len(excluded),
        "notes": EXCLUSION_NOTES,
    }


# --- 灾情初报 summary ------------------------------------------------------------------------
def initial_report(
    *, user, account: WeChatAccount, start: datetime, end: datetime
) -> dict[str, Any]:
    """Per county: counts by hazard, people trapped, lives in danger, first and latest report.

    Leads for the county's statutory 2-hour 初报, not verified statistics. Duplicates, referred
    and rejected reports are left out so that one event is not counted twice.
    """
    require(user, P.REPORTS_EXPORT, account)
    reports = list(
        report_queryset(user=user, account=account)
        .filter(created_at__gte=start, created_at__lt=end)
        .exclude(state__in=workflow.EXCLUDED_STATES)
        .order_by("created_at")
    )
    rows: dict[str, dict[str, Any]] = {}
    cities = {c.code: c.city for c in geo.counties()}
    for r in reports:
        key = r.county_code or ""
        row = rows.setdefault(
            key,
            {
                "county_code": key,
                "county_name": r.county_name or _("Location unknown"),
                "city": cities.get(key, ""),
                "total": 0,
                "by_hazard": defaultdict(int),
                "people_trapped": 0,
                "lives_in_danger": 0,
                "with_photos": 0,
                "first_report_at": r.submitted_at,
                "latest_report_at": r.submitted_at,
            },
        )
        row["total"] += 1
        row["by_hazard"][r.hazard] += 1
        row["people_trapped"] += int(r.hazard == Hazard.PEOPLE_TRAPPED)
        row["lives_in_danger"] += int(r.lives_in_danger)
        row["first_report_at"] = min(row["first_report_at"], r.submitted_at)
        row["latest_report_at"] = max(row["latest_report_at"], r.submitted_at)
    with_photos = set(
        ReportPhoto.objects.filter(report__in=reports).values_list("report_id", flat=True)
    )
    for r in reports:
        if r.pk in with_photos:
            rows[r.county_code or ""]["with_photos"] += 1
    ordered = sorted(rows.values(), key=lambda row: (row["county_code"] == "", row["county_code"]))
    for row in ordered:
        row["hazards"] = [row["by_hazard"].get(h, 0) for h in Hazard.values]
    totals = {
        "total": sum(r["total"] for r in ordered),
        "hazards": [sum(r["hazards"][i] for r in ordered) for i in range(len(Hazard.values))],
        "people_trapped": sum(r["people_trapped"] for r in ordered),
        "lives_in_danger": sum(r["lives_in_danger"] for r in ordered),
        "with_photos": sum(r["with_photos"] for r in ordered),
    }
    return {
        "start": start,
        "end": end,
        "hazards": [str(Hazard(h).label) for h in Hazard.values],
        "rows": ordered,
        "totals": totals,
    }


def citizen_disputable_report(
    *, account: WeChatAccount, openid: str, now: datetime | None = None
) -> Report | None:
    """The report a citizen's 不满意 in chat is about: the most recently resolved of their own
    reports (or of the reports theirs were merged into) still within the reopen window."""
    if not openid:
        return None
    now = now or timezone.now()
    since = now - workflow.reopen_window()
    own = Report.objects.filter(account=account, reporter_openid=openid)
    roots = Report.objects.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=own.values("duplicate_of"))
    ).filter(state__in=[State.RESOLVED, State.CLOSED])
    roots = roots.filter(
        Q(resolved_at__gte=since) | Q(resolved_at__isnull=True, closed_at__gte=since)
    )
    return roots.order_by("-resolved_at", "-closed_at", "-pk").first()


def duplicate_flags(ids) -> dict[int, list[Report]]:
    """report id → the reports that may be the same event, both ways (the newer report suggests
    the older one at intake; the older one shows the newer too), leaving out merged ones."""
    ids = list(ids)
    if not ids:
        return {}
    through = Report.suggested_duplicates.through
    pairs = list(
        through.objects.filter(Q(from_report_id__in=ids) | Q(to_report_id__in=ids)).values_list(
            "from_report_id", "to_report_id"
        )
    )
    others = {pk for pair in pairs for pk in pair}
    live = {r.pk: r for r in Report.objects.filter(pk__in=others).exclude(state=State.DUPLICATE)}
    wanted = set(ids)
    out: dict[int, list[Report]] = {}
    for a, b in pairs:
        for mine, other in ((a, b), (b, a)):
            if mine in wanted and other in live and mine != other:
                if live[other] not in out.setdefault(mine, []):
                    out[mine].append(live[other])
    for rows in out.values():
        rows.sort(key=lambda r: r.ticket)
    return out


def waiting_by_report(ids) -> dict[int, int]:
    """report id → messages to its reporters waiting for them to write again (48-hour window)."""
    refs = {f"report:{pk}": pk for pk in ids}
    out: dict[int, int] = {}
    rows = (
        OutboundMessage.objects.filter(reference__in=list(refs), state=OutboundState.WAITING_WINDOW)
        .values("reference")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        out[refs[row["reference"]]] = row["n"]
    return out


def last_message_state(report: Report) -> str | None:
    """The state of the newest message to the report's reporters (None when there is none)."""
    return (
        OutboundMessage.objects.filter(reference=f"report:{report.pk}")
        .order_by("-created_at", "-pk")
        .values_list("state", flat=True)
        .first()
    )


# --- emergency mode ---------------------------------------------------------------------------


def emergency_history(*, user, account: WeChatAccount, now: datetime | None = None) -> list[dict]:
    """Every period of emergency mode on the account, newest first: who switched it on and off,
    why, for how long, the acknowledgement deadlines that applied (against the ordinary ones),
    and what happened meanwhile (reports received, escalated for want of acknowledgement)."""
    require(user, P.REPORTS_EMERGENCY_VIEW, account)
    now = now or timezone.now()
    periods = list(
        EmergencyPeriod.objects.filter(account=account).select_related("started_by", "ended_by")
    )
    out = []
    for period in periods:
        end = period.ended_at or now
        window = {"account": account, "created_at__gte": period.started_at}
        received = Report.objects.filter(**window, created_at__lt=end).count()
        escalated = (
            ReportStep.objects.filter(
                report__account=account,
                kind=StepKind.SUPERVISE,
                at__gte=period.started_at,
                at__lt=end,
                data__deadline="ack",
            )
            .values("report_id")
            .distinct()
            .count()
        )
        out.append(
            {
                "period": period,
                "duration": end - period.started_at,
                "deadlines": [
                    (
                        priority.label,
                        period.ack_minutes.get(priority.value),
                        period.normal_ack_minutes.get(priority.value),
                    )
                    for priority in Priority
                ]
                if period.ack_minutes
                else [],
                "received": received,
                "escalated": escalated,
            }
        )
    return out
