"""Thin views: parse the request, call a selector or a service, render. No rules live here."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhengwei.access.policy import account_for, may
from zhengwei.audit.middleware import client_ip
from zhengwei.audit.services import audit_record
from zhengwei.lib.errors import error_messages
from zhengwei.lib.text import parse_instant
from zhengwei.orgs.models import Organisation, OrgKind, WeChatAccount
from zhengwei.reports import exports, links, notices, phones, selectors, services
from zhengwei.reports import policy as P
from zhengwei.reports.actors import Citizen
from zhengwei.reports.forms import FilterForm, PeriodForm, PhoneInForm, RoutingRuleForm
from zhengwei.reports.models import Channel, Datum, Hazard, Priority, Report, RoutingRule, State
from zhengwei.wechat.outbound import tickets
from zhengwei.wechat.outbound.errors import WeChatError

EXPORT_LIMIT = 5000
log = logging.getLogger("zhengwei.reports")


# --- helpers ---------------------------------------------------------------------------------
def _account(request, action: str = P.REPORTS_VIEW) -> WeChatAccount:
    wanted = request.GET.get("account") or request.POST.get("account")
    return account_for(request.user, action, wanted)


def _period(request, default_days: int = 30) -> tuple[datetime, datetime]:
    now = timezone.now()

    def parse(raw: str | None) -> datetime | None:
        if not raw:
            return None
        try:
            return parse_instant(raw)
        except ValueError:
            raise ValidationError(_("Dates look like 2026-11-26 or 2026-11-26T08:00.")) from None

    end = parse(request.GET.get("end")) or now
    start = parse(request.GET.get("start")) or end - timedelta(days=default_days)
    return start, end


def _client_ip(request) -> str:
    # Behind nginx REMOTE_ADDR is the proxy: per-IP rate limits need the client's address.
    return client_ip(request) or ""


# --- console: list, detail, actions ------------------------------------------------------------
@login_required
def report_list(request):
    account = _account(request)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.report_list(user=request.user, account=account, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "account": account,
        "now": timezone.now(),
        "query": request.GET.urlencode(),
        "can_export": may(request.user, P.REPORTS_EXPORT, account),
        "can_create": may(request.user, P.REPORTS_CREATE, account),
    }
    template = "reports/_table.html" if getattr(request, "htmx", False) else "reports/list.html"
    return render(request, template, context)


@login_required
def report_detail(request, ticket: str):
    report = selectors.report_get(user=request.user, ticket=ticket)
    services.report_view_record(actor=request.user, report=report)
    actions = selectors.report_actions(user=request.user, report=report)
    route_unit, route_rule = selectors.route_for(report)
    family = []
    if report.duplicate_of_id:
        family.append(report.duplicate_of)
    family += list(report.duplicates.all())
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "steps": selectors.report_timeline(user=request.user, report=report),
            "photos": selectors.report_photos(user=request.user, report=report),
            "actions": actions,
            "can_reveal": selectors.may_see_phone(request.user, report),
            "lens": (lens := selectors.report_lens(request.user, report)),
            "point": lens.point(report.lat, report.lng),
            "can_original": P.may_on_report(request.user, P.REPORTS_PHOTO_ORIGINAL, report),
            "suggestions": selectors.duplicate_flags([report.pk]).get(report.pk, []),
            "family": family,
            "units": selectors.units_of(report.account),
            "route_unit": route_unit,
            "route_rule": route_rule,
            "priorities": Priority.choices,
            "hazards": Hazard.choices,
            "now": timezone.now(),
            "overdue": report.is_overdue(),
            "status_path": links.status_path(report.ticket),
        },
    )


@login_required
@require_POST
def reveal_phone(request, ticket: str):
    report = selectors.report_get(user=request.user, ticket=ticket)
    phone = services.report_reveal_phone(actor=request.user, report=report)
    # The same audited reveal shows the reporter's name and the description as written.
    lens = selectors.report_lens(request.user, report, revealed=True)
    return render(request, "reports/_phone.html", {"phone": phone, "report": report, "lens": lens})


def _unit(request, report: Report) -> Organisation | None:
    pk = request.POST.get("unit")
    if not pk:
        return None
    unit = selectors.unit_of(report.account, pk)
    if unit is None:
        raise Http404
    return unit


def _parent(request, report: Report) -> Report:
    ticket = (request.POST.get("parent") or "").strip()
    if not ticket:
        raise ValidationError(_("Give the ticket of the report it duplicates."))
    try:
        return selectors.report_get(user=request.user, ticket=ticket)
    except Http404:
        raise ValidationError(
            _("No report %(ticket)s that you can see.") % {"ticket": ticket}
        ) from None


# The steps that take nothing but the two notes, by the verb in the URL.
NOTE_ONLY_STEPS = {
    "contact": services.report_contact,
    "progress": services.report_progress,
    "resolve": services.report_resolve,
    "close": services.report_close,
    "note": services.report_note,
}


def _do(request, report: Report, verb: str) -> None:
    p = request.POST
    user = request.user
    public = p.get("public_note", "")
    internal = p.get("internal_note", "")
    match verb:
        case "ack":
            services.report_ack(actor=user, report=report, public_note=public)
        case "triage":
            services.report_triage(
                actor=user,
                report=report,
                priority=p.get("priority", ""),
                hazard=p.get("hazard") or None,
                public_note=public,
                internal_note=internal,
            )
        case "dispatch":
            services.report_dispatch(
                actor=user,
                report=report,
                unit=_unit(request, report),
                public_note=public,
                internal_note=internal,
            )
        case "sign":
            services.report_sign(actor=user, report=report, internal_note=internal)
        case "contact" | "progress" | "resolve" | "close" | "note":
            NOTE_ONLY_STEPS[verb](
                actor=user, report=report, public_note=public, internal_note=internal
            )
        case "duplicate":
            services.report_mark_duplicate(
                actor=user,
                report=report,
                parent=_parent(request, report),
                public_note=public,
                internal_note=internal,
            )
        case "refer":
            services.report_refer(
                actor=user,
                report=report,
                to=p.get("to", ""),
                public_note=public,
                internal_note=internal,
            )
        case "reject":
            services.report_reject(
                actor=user, report=report, reason=p.get("reason", ""), public_note=public
            )
        case "escalate":
            services.report_escalate(
                actor=user,
                report=report,
                reason=p.get("reason", ""),
                emergency=True,
                public_note=public,
            )
        case "supervise":
            services.report_escalate(
                actor=user, report=report, reason=p.get("reason", ""), emergency=False
            )
        case "reopen":
            services.report_reopen(actor=user, report=report, reason=p.get("reason", ""))
        case "rate":
            services.report_rate(
                actor=user, report=report, rating=p.get("rating"), comment=internal
            )
        case _:
            raise Http404


@login_required
@require_POST
def act(request, ticket: str, verb: str):
    report = selectors.report_get(user=request.user, ticket=ticket)
    try:
        _do(request, report, verb)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Done: %(ticket)s.") % {"ticket": report.ticket})
    return redirect("reports:detail", ticket=report.ticket)


# --- console: entering a report ------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def phone_in(request):
    account = _account(request, P.REPORTS_CREATE)
    unit_side = request.user.org_kind == OrgKind.UNIT
    form = PhoneInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_receive(
                actor=request.user,
                account=account,
                channel=Channel.UNIT if unit_side else Channel.PHONE,
                hazard=data["hazard"],
                description=data["description"],
                lives_in_danger=data["lives_in_danger"],
                lat=data["lat"],
                lng=data["lng"],
                datum=data["datum"] or Datum.WGS84,
                address=data["address"],
                phone=data["phone"],
                name=data["name"],
                photos=request.FILES.getlist("photos"),
                submitted_at=data["submitted_at"],
            )
            if data["priority"] and not unit_side:
                services.report_triage(actor=request.user, report=report, priority=data["priority"])
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Report %(ticket)s recorded.") % {"ticket": report.ticket})
            return redirect("reports:detail", ticket=report.ticket)
    return render(
        request,
        "reports/phone_in.html",
        {"form": form, "account": account, "unit_side": unit_side},
    )


# --- console: exports, metrics, counts, 初报 -----------------------------------------------------
@login_required
def export(request, fmt: str):
    if fmt not in {"csv", "xlsx", "geojson"}:
        raise Http404
    account = _account(request, P.REPORTS_EXPORT)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = list(
        selectors.report_list(user=request.user, account=account, filters=filters).select_related(
            "duplicate_of"
        )[:EXPORT_LIMIT]
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, ctype = exports.to_csv(request.user, reports), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.to_xlsx(request.user, reports)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, ctype = exports.to_geojson(request.user, reports), "application/geo+json"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="reports-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def metrics_json(request):
    account = _account(request, P.REPORTS_METRICS)
    try:
        start, end = _period(request)
    except ValidationError as exc:
        return JsonResponse({"error": error_messages(exc)}, status=400)
    data = selectors.report_metrics(account, start, end, user=request.user)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
def counts(request):
    account = _account(request, P.REPORTS_COUNTS)
    try:
        start, end = _period(request)
    except ValidationError:
        start, end = timezone.now() - timedelta(days=30), timezone.now()
    data = selectors.report_counts(user=request.user, account=account, start=start, end=end)
    return render(
        request,
        "reports/counts.html",
        {"data": data, "account": account, "start": start, "end": end},
    )


def _initial_summary(request):
    account = _account(request, P.REPORTS_EXPORT)
    try:
        start, end = _period(request, default_days=1)
    except ValidationError:
        start, end = timezone.now() - timedelta(days=1), timezone.now()
    summary = selectors.initial_report(user=request.user, account=account, start=start, end=end)
    return account, summary


@login_required
def initial_report(request):
    account, summary = _initial_summary(request)
    return render(
        request,
        "reports/initial_report.html",
        {
            "account": account,
            "summary": summary,
            "query": request.GET.urlencode(),
            "form": PeriodForm(initial={"start": summary["start"], "end": summary["end"]}),
        },
    )


@login_required
def initial_report_xlsx(request):
    account, summary = _initial_summary(request)
    body = exports.initial_report_xlsx(request.user, summary, account.name)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="initial-report-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- console: routing rules ----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def routing(request):
    account = _account(request, P.REPORTS_ROUTING)
    units = selectors.units_of(account)
    form = RoutingRuleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(
                actor=request.user,
                account=account,
                county_code=form.cleaned_data["county_code"],
                hazard=form.cleaned_data["hazard"] or "",
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Routing rule saved."))
            return redirect("reports:routing")
    rules = selectors.routing_rules(user=request.user, account=account)
    return render(
        request,
        "reports/routing.html",
        {"form": form, "rules": rules, "account": account, "units": units},
    )


@login_required
@require_POST
def routing_delete(request, pk: int):
    rule = get_object_or_404(RoutingRule, pk=pk)
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Routing rule removed."))
    return redirect("reports:routing")


# --- photos ------------------------------------------------------------------------------------
@login_required
def photo(request, pk: int, variant: str):
    if variant not in {"display", "original"}:
        raise Http404
    item = selectors.photo_get(user=request.user, pk=pk, original=variant == "original")
    field = item.original if variant == "original" else item.display
    if variant == "original":
        audit_record(actor=request.user, action="report.photo_original", obj=item.report)
    ctype = "image/jpeg"
    if variant == "original":
        ctype = {"PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}.get(
            item.original_format, "image/jpeg"
        )
    response = FileResponse(field.open("rb"), content_type=ctype)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- citizens: the H5 form and the status page ---------------------------------------------------
def _h5_account(request, identity) -> WeChatAccount:
    if identity is not None:
        return get_object_or_404(WeChatAccount, pk=identity.account_id, is_active=True)
    wanted = request.GET.get("account") or request.POST.get("account")
    if wanted:
        return get_object_or_404(WeChatAccount, original_id=wanted, is_active=True)
    accounts = list(WeChatAccount.objects.filter(is_active=True)[:2])
    if len(accounts) != 1:
        raise Http404
    return accounts[0]


def _map_context() -> dict:
    from django.conf import settings

    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "tile_datum": settings.MAP_TILE_DATUM,
    }


@require_http_methods(["GET", "POST"])
def h5_form(request):
    token = request.GET.get("t") or request.POST.get("t") or ""
    identity, link_problem = None, ""
    if token:
        try:
            identity = links.h5_identity(token)
        except signing.SignatureExpired:
            link_problem = _(
                "Your link has expired. Leave a phone number, or ask for a new link in the chat."
            )
        except signing.BadSignature:
            link_problem = _("The link is not valid. Leave a phone number so that we can call you.")
    account = _h5_account(request, identity)
    errors: list[str] = []
    limited = False
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        phone_raw = request.POST.get("phone", "")
        try:
            phone = phones.normalise(phone_raw)
        except ValidationError as exc:
            errors += exc.messages
            phone = ""
        if not errors:
            citizen = Citizen(
                openid=identity.openid if identity else "",
                phone_hash=phones.digest(phone),
                ip=_client_ip(request),
                proof="h5_link" if identity else "phone",
            )
            try:
                report = services.report_receive(
                    actor=citizen,
                    account=account,
                    channel=Channel.H5,
                    hazard=request.POST.get("hazard", ""),
                    description=request.POST.get("description", ""),
                    lives_in_danger=bool(request.POST.get("lives_in_danger")),
                    lat=request.POST.get("lat") or None,
                    lng=request.POST.get("lng") or None,
                    datum=request.POST.get("datum") or Datum.WGS84,
                    accuracy_m=request.POST.get("accuracy") or None,
                    address=request.POST.get("address", ""),
                    phone=phone,
                    photos=request.FILES.getlist("photos"),
                )
            except services.RateLimited as exc:
                errors += exc.messages
                limited = True
            except ValidationError as exc:
                errors += error_messages(exc)
            else:
                return render(
                    request,
                    "reports/h5_done.html",
                    {
                        "report": report,
                        "notice": report.steps.order_by("id").first().public_note,
                        "status_path": links.status_path(report.ticket),
                    },
                )
    status = 429 if limited else 400 if errors else 200
    return render(
        request,
        "reports/h5_form.html",
        {
            "account": account,
            "identity": identity,
            "token": token,
            "link_problem": link_problem,
            "values": values,
            "errors": errors,
            "hazards": Hazard.choices,
            **_map_context(),
        },
        status=status,
    )


def _netloc(host: str) -> str:
    host = host.lower()
    for default_port in (":80", ":443"):
        host = host.removesuffix(default_port)
    return host


def _own_page_url(request, url: str) -> bool:
    """True for an http(s) URL on this site: the host the request came to (already checked
    against ALLOWED_HOSTS) or PUBLIC_URL's. Only such pages may have wx.config signed."""
    if not url or len(url) > 2048 or any(c.isspace() or c == "\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not parts.netloc or "@" in parts.netloc:
        return False
    own = {_netloc(request.get_host()), _netloc(urlsplit(settings.PUBLIC_URL).netloc)}
    return _netloc(parts.netloc) in own


@require_http_methods(["GET"])
def h5_jssdk(request):
    """The wx.config arguments for one of our pages (``?url=`` its address, without ``#…``).
    The H5 form asks for them only inside WeChat; any error sends it to browser geolocation."""
    url = request.GET.get("url", "")
    if not _own_page_url(request, url):
        response = JsonResponse({"error": _("Only pages of this site can use WeChat JS-SDK.")})
        response.status_code = 400
    else:
        account = _h5_account(request, None)
        try:
            response = JsonResponse(tickets.jsapi_config(account, url))
        except WeChatError as exc:
            log.warning("jssdk config failed account=%s: %s", account.pk, exc)
            response = JsonResponse({"error": _("WeChat location is unavailable right now.")})
            response.status_code = 503
    response["Cache-Control"] = "no-store"  # each config is signed for one timestamp and nonce
    return response


@require_http_methods(["GET", "POST"])
def status_page(request, ticket: str, token: str):
    if not links.status_token_valid(ticket, token):
        raise Http404
    own = get_object_or_404(Report, ticket=ticket)
    # A report merged into another follows it: the surviving report's state and steps, and the
    # rating and 不满意 act on it (the reporter of a merged report may, see owns_family).
    report = own
    seen = {own.pk}
    while report.duplicate_of_id and report.duplicate_of_id not in seen:
        report = report.duplicate_of
        seen.add(report.pk)
    citizen = Citizen(proof="status_token", ticket=ticket, ip=_client_ip(request))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rate":
                services.report_rate(
                    actor=citizen,
                    report=report,
                    rating=request.POST.get("rating"),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Thank you for your rating."))
            elif request.POST.get("action") == "reject":
                services.report_citizen_reject_closure(
                    actor=citizen, report=report, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request, _("Your report has been reopened and passed to the duty leader.")
                )
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        except PermissionDenied:
            messages.error(request, _("This report cannot be changed from here."))
        return redirect(request.path)
    # Each text exactly as the reporter was told it in WeChat (notices.py decides it once).
    public_steps = [(s, s.public_note) for s in own.steps.all() if s.public_note]
    if report.pk != own.pk:
        merged_at = own.closed_at or own.updated_at
        public_steps += [
            (s, notices.merged_progress(own, report, s.public_note))
            for s in report.steps.all()
            if s.public_note and s.at >= merged_at and s.kind not in ("merge", "receive")
        ]
    return render(
        request,
        "reports/status.html",
        {
            "report": own,
            "subject": report,
            "steps": public_steps,
            "open": report.state
            not in (State.RESOLVED, State.CLOSED, State.DUPLICATE, State.REFERRED, State.REJECTED),
            "can_rate": report.state in (State.RESOLVED, State.CLOSED)
            and report.satisfaction is None,
            "can_reject": report.state in (State.RESOLVED, State.CLOSED),
            "status_label": State(report.state).label,
        },
    )
