"""Thin views of the performance pages: parse, call a selector or a service, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengwei.access.policy import account_for, may
from zhengwei.lib import indicators
from zhengwei.lib.errors import error_messages
from zhengwei.lib.text import parse_day, parse_moment
from zhengwei.performance import annual, documents, measures, selectors, services
from zhengwei.performance import dashboard as charts
from zhengwei.performance import policy as P
from zhengwei.performance.models import (
    IncidentKind,
    ItemStatus,
    PeriodKind,
    ScorecardState,
)


def _attempt(request, act) -> bool:
    try:
        act()
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return False
    except PermissionDenied:
        messages.error(request, _("You do not have permission for this action."))
        return False
    messages.success(request, _("Done."))
    return True


def _month(raw: str | None) -> tuple[date, date]:
    today = timezone.localdate()
    day = parse_day(f"{raw}-01") if raw else None
    return services.period_bounds(PeriodKind.MONTH, day or today)


@login_required
def overview(request):
    start, end = _month(request.GET.get("month"))
    if not selectors.accounts_for(request.user, P.PERFORMANCE_VIEW):
        raise PermissionDenied
    rows = selectors.overview(user=request.user, start=start, end=end)
    return render(
        request,
        "performance/overview.html",
        {
            "rows": rows,
            "headers": selectors.overview_headers(),
            "start": start,
            "end": end,
            "month": start.strftime("%Y-%m"),
        },
    )


@login_required
def scorecards(request):
    account = account_for(
        request.user, P.PERFORMANCE_VIEW, request.GET.get("account") or request.POST.get("account")
    )
    if request.method == "POST":
        period = request.POST.get("period", PeriodKind.MONTH)
        day = parse_day(f"{request.POST.get('month', '')}-01")
        if day is None or period not in PeriodKind.values:
            messages.error(request, _("Choose a period and a month such as 2026-11."))
        else:
            result = {}

            def act():
                result["sc"] = services.scorecard_compute(
                    actor=request.user, account=account, period=period, day=day
                )

            if _attempt(request, act):
                return redirect("performance:scorecard", result["sc"].pk)
        return redirect(f"{request.path}?account={account.pk}")
    return render(
        request,
        "performance/scorecards.html",
        {
            "account": account,
            "accounts": selectors.accounts_for(request.user, P.PERFORMANCE_VIEW),
            "scorecards": selectors.scorecard_list(user=request.user, account=account),
            "can_compute": may(request.user, P.SCORECARD_COMPUTE, account),
            "periods": PeriodKind.choices,
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@login_required
def scorecard(request, pk: int):
    sc = selectors.scorecard_get(user=request.user, pk=pk)
    items = selectors.scorecard_items(scorecard=sc)
    signed = sc.state == ScorecardState.SIGNED
    return render(
        request,
        "performance/scorecard.html",
        {
            "sc": sc,
            "items": items,
            "can_review": not signed and may(request.user, P.SCORECARD_REVIEW, sc.account),
            "can_respond": not signed and may(request.user, P.SCORECARD_RESPOND, sc.account),
            "can_sign": not signed and may(request.user, P.SCORECARD_SIGN, sc.account),
            "veto_labels": [selectors.indicator_label(c) for c in sc.veto_codes],
            "statuses": ItemStatus,
        },
    )


ITEM_ACTIONS = {
    "confirm": lambda u, item, post: services.scorecard_item_confirm(
        actor=u, item=item, comment=post.get("comment", "")
    ),
    "dispute": lambda u, item, post: services.scorecard_item_dispute(
        actor=u, item=item, comment=post.get("comment", "")
    ),
    "respond": lambda u, item, post: services.scorecard_item_respond(
        actor=u, item=item, comment=post.get("comment", "")
    ),
    "adjust": lambda u, item, post: services.scorecard_item_adjust(
        actor=u, item=item, points=post.get("points", ""), comment=post.get("comment", "")
    ),
}


@login_required
@require_POST
def item_act(request, pk: int, verb: str):
    act = ITEM_ACTIONS.get(verb)
    if act is None:
        raise Http404
    item = selectors.item_get(user=request.user, pk=pk)
    _attempt(request, lambda: act(request.user, item, request.POST))
    return redirect(f"{redirect('performance:scorecard', item.scorecard_id).url}#item-{item.pk}")


@login_required
@require_POST
def scorecard_sign(request, pk: int):
    sc = selectors.scorecard_get(user=request.user, pk=pk)
    _attempt(
        request,
        lambda: services.scorecard_sign(
            actor=request.user, scorecard=sc, comment=request.POST.get("comment", "")
        ),
    )
    return redirect("performance:scorecard", sc.pk)


@login_required
def evidence(request):
    account = account_for(request.user, P.PERFORMANCE_VIEW, request.GET.get("account"))
    code = request.GET.get("code", "")
    start = parse_day(request.GET.get("start") or "")
    end = parse_day(request.GET.get("end") or "")
    if start is None or end is None or end <= start:
        start, end = _month(None)
    try:
        ev = selectors.evidence(user=request.user, account=account, code=code, start=start, end=end)
    except ValueError:
        raise Http404 from None
    value = measures.measure_account(account, start, end).get(code)
    return render(
        request,
        "performance/evidence.html",
        {
            "account": account,
            "code": code,
            "label": selectors.indicator_label(code),
            "spec": indicators.BY_CODE.get(code),
            "measure": value,
            "ev": ev,
            "start": start,
            "end": end,
        },
    )


@login_required
def incidents(request):
    account = account_for(
        request.user, P.INCIDENT_RECORD, request.GET.get("account") or request.POST.get("account")
    )
    if request.method == "POST":
        occurred = parse_moment(request.POST.get("occurred_at"))
        if occurred is None:
            messages.error(request, _("Dates look like 2026-11-26 or 2026-11-26T08:00."))
        else:
            _attempt(
                request,
                lambda: services.incident_record(
                    actor=request.user,
                    account=account,
                    kind=request.POST.get("kind", ""),
                    occurred_at=occurred,
                    description=request.POST.get("description", ""),
                    evidence_url=request.POST.get("evidence_url", ""),
                ),
            )
        return redirect(f"{request.path}?account={account.pk}")
    return render(
        request,
        "performance/incidents.html",
        {
            "account": account,
            "incidents": selectors.incident_list(user=request.user, account=account)[:200],
            "kinds": IncidentKind.choices,
        },
    )


@login_required
def records(request):
    """The office's records behind two indicators: articles a superior designated for reprinting
    (reprint latency) and the account's filing with the national registry (registry compliance)."""
    account = account_for(
        request.user, P.INCIDENT_RECORD, request.GET.get("account") or request.POST.get("account")
    )
    if request.method == "POST":
        post = request.POST
        form = post.get("form")
        bad_date = _("Dates look like 2026-11-26 or 2026-11-26T08:00.")
        if form == "reprint":
            when = parse_moment(post.get("designated_at"))
            if when is None:
                messages.error(request, bad_date)
            else:
                _attempt(
                    request,
                    lambda: services.reprint_request_record(
                        actor=request.user,
                        account=account,
                        title=post.get("title", ""),
                        source_url=post.get("source_url", ""),
                        designated_by=post.get("designated_by", ""),
                        designated_at=when,
                    ),
                )
        elif form == "reprinted":
            item = selectors.reprint_get(user=request.user, account=account, pk=post.get("request"))
            when = parse_moment(post.get("reprinted_at"))
            if when is None:
                messages.error(request, bad_date)
            else:
                _attempt(
                    request,
                    lambda: services.reprint_mark_done(
                        actor=request.user,
                        request=item,
                        reprinted_at=when,
                        reprint_url=post.get("reprint_url", ""),
                    ),
                )
        elif form == "filing":
            filed_on = parse_day(post.get("filed_on", ""))
            closing = post.get("closing_on", "")
            closing_on = parse_day(closing) if closing else None
            if filed_on is None or (closing and closing_on is None):
                messages.error(request, bad_date)
            else:
                _attempt(
                    request,
                    lambda: services.registry_filing_record(
                        actor=request.user,
                        account=account,
                        registry_number=post.get("registry_number", ""),
                        registered_name=post.get("registered_name", ""),
                        registered_owner=post.get("registered_owner", ""),
                        platform=post.get("platform", ""),
                        filed_on=filed_on,
                        closing_on=closing_on,
                        stop_notice_url=post.get("stop_notice_url", ""),
                    ),
                )
        return redirect(f"{request.path}?account={account.pk}")
    start, end = _month(None)
    measured = measures.measure_account(account, start, end)
    return render(
        request,
        "performance/records.html",
        {
            "account": account,
            "reprints": selectors.reprint_list(user=request.user, account=account)[:200],
            "filings": selectors.filing_list(user=request.user, account=account)[:50],
            "latency": measured.get("reprint_latency"),
            "registry": measured.get("account_registry_ok"),
            "start": start,
            "end": end,
        },
    )


@login_required
def acceptance_pdf(request, pk: int):
    """The acceptance record (履约验收书); before sign-off it is marked as a draft."""
    sc = selectors.scorecard_get(user=request.user, pk=pk)
    response = HttpResponse(documents.acceptance_pdf(sc), content_type="application/pdf")
    name = f"acceptance-{sc.account.original_id}-{sc.period}-{sc.start:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _year_span(request) -> tuple[date, date, str]:
    """A calendar year (``?year=2026``) or, by default, the last 12 months including this one."""
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 < int(raw) < 2100:
        year = int(raw)
        return date(year, 1, 1), date(year + 1, 1, 1), raw
    end = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return date(end.year - 1, end.month, 1), end, ""


@login_required
def dashboard(request):
    account = account_for(request.user, P.PERFORMANCE_VIEW, request.GET.get("account"))
    start, end, year = _year_span(request)
    return render(
        request,
        "performance/dashboard.html",
        {
            "account": account,
            "accounts": selectors.accounts_for(request.user, P.PERFORMANCE_VIEW),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
            "start": start,
            "end": end,
        },
    )


@login_required
def dashboard_data(request):
    account = account_for(request.user, P.PERFORMANCE_VIEW, request.GET.get("account"))
    start, end, _year = _year_span(request)
    data = {"account": account.name, "months": charts.account_months(account, start, end)}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
def model_change(request):
    """One account's indicators before and after a change of its operation model (the change
    from the account's history; ``?on=`` compares around any other day)."""
    account = account_for(request.user, P.PERFORMANCE_VIEW, request.GET.get("account"))
    changes = selectors.model_changes(user=request.user, account=account)
    raw_months = request.GET.get("months", "3")
    months = int(raw_months) if raw_months in ("1", "3", "6") else 3
    on = parse_day(request.GET.get("on") or "")
    if on is None and changes:
        on = changes[-1].day
    data = charts.before_after(account, on, months=months) if on else None
    return render(
        request,
        "performance/model_change.html",
        {
            "account": account,
            "accounts": selectors.accounts_for(request.user, P.PERFORMANCE_VIEW),
            "changes": changes,
            "on": on,
            "months": months,
            "data": data,
        },
    )


@login_required
def compare_data(request):
    """This month's indicators across every account the person supervises (drawn after the
    account's own charts: with hundreds of accounts it is the slower half)."""
    accounts = selectors.accounts_for(request.user, P.PERFORMANCE_VIEW)
    if not accounts:
        raise PermissionDenied
    month_start, month_end = _month(request.GET.get("month"))
    data = {
        "compare": charts.comparison(accounts, month_start, month_end),
        "period": [month_start.isoformat(), month_end.isoformat()],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _annual(request) -> tuple[list, int]:
    accounts = selectors.accounts_for(request.user, P.PERFORMANCE_VIEW)
    if not accounts:
        raise PermissionDenied
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 < int(raw) < 2100 else timezone.localdate().year - 1
    return accounts, year


@login_required
def annual_report(request):
    """The yearly 移动新媒体 figures of every account the person supervises (Excel)."""
    accounts, year = _annual(request)
    response = HttpResponse(
        annual.annual_workbook(accounts, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="annual-{year}.xlsx"'
    return response


@login_required
def annual_report_pdf(request):
    """The same figures as a PDF in the form's layout, to sign and file."""
    accounts, year = _annual(request)
    response = HttpResponse(annual.annual_pdf(accounts, year), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-{year}.pdf"'
    return response
