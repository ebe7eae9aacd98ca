"""Thin views: the public live pages of the 汛情实况 menu, and the console pages (imports,
briefings). No rules live here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwei.access.policy import account_chosen, accounts_for, may
from zhengwei.hydro import briefing_numbers, live, selectors
from zhengwei.hydro import policy as P
from zhengwei.hydro.models import (
    Briefing,
    BriefingChart,
    BriefingStatus,
    ImportKind,
    ImportRun,
    ImportStatus,
    Typhoon,
)
from zhengwei.hydro.selectors import ROW_KINDS
from zhengwei.hydro.services import briefings, imports
from zhengwei.lib.errors import error_messages
from zhengwei.lib.text import parse_moment
from zhengwei.newsroom.policy import ARTICLE_WRITE as NEWSROOM_WRITE

# Live data changes with each import (every few minutes): phones and proxies may keep it a minute.
LIVE_MAX_AGE = 60
UPLOAD_LIMIT = 50 * 1024 * 1024


def _public(response, max_age: int = LIVE_MAX_AGE):
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


# --- public live pages ------------------------------------------------------------------------
@require_GET
def flood_index(request):
    context = {"typhoons": live.current_typhoons(), "rain": live.rain(limit=5)}
    context["water"] = live.water()
    return _public(render(request, "hydro/live_index.html", context))


@require_GET
def flood_rain(request):
    return _public(render(request, "hydro/live_rain.html", {"rain": live.rain()}))


@require_GET
def flood_water(request):
    return _public(render(request, "hydro/live_water.html", {"water": live.water()}))


@require_GET
def flood_typhoon(request, tfid: str | None = None):
    if tfid is None:
        current = live.current_typhoons()
        typhoon = (
            Typhoon.objects.filter(pk=current[0]["tfid"]).first()
            if current
            else Typhoon.objects.order_by("-tfid").first()
        )
    else:
        typhoon = Typhoon.objects.filter(pk=tfid).first()
    if typhoon is None:
        raise Http404(_("No typhoon data."))
    others = Typhoon.objects.exclude(pk=typhoon.pk).order_by("-tfid")[:10]
    return _public(
        render(request, "hydro/live_typhoon.html", {"typhoon": typhoon, "others": others})
    )


@require_GET
def flood_typhoon_json(request, tfid: str):
    typhoon = get_object_or_404(Typhoon, pk=tfid)
    return _public(
        JsonResponse(live.typhoon_track(typhoon), json_dumps_params={"ensure_ascii": False})
    )


@require_GET
def flood_stations_json(request):
    return _public(JsonResponse(live.map_points(), json_dumps_params={"ensure_ascii": False}))


# --- console: imports -------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    if not may(request.user, P.HYDRO_VIEW):
        raise PermissionDenied
    can_import = may(request.user, P.HYDRO_IMPORT)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        upload = request.FILES.get("file")
        kind = request.POST.get("kind") or None
        if kind and kind not in ImportKind.values:
            kind = None
        if upload is None:
            messages.error(request, _("Choose a file to import."))
        elif upload.size > UPLOAD_LIMIT:
            messages.error(request, _("The file is larger than 50 MB: import it on the server."))
        else:
            run = imports.hydro_import(
                actor=request.user, data=upload.read(), name=upload.name, kind=kind
            )
            level = {
                ImportStatus.DONE: messages.SUCCESS,
                ImportStatus.PARTIAL: messages.WARNING,
                ImportStatus.FAILED: messages.ERROR,
            }[run.status]
            messages.add_message(
                request,
                level,
                _("%(file)s: %(status)s — %(stored)s rows stored, %(rejected)s rejected.")
                % {
                    "file": upload.name,
                    "status": run.get_status_display(),
                    "stored": run.rows_stored,
                    "rejected": run.rows_rejected,
                },
            )
            return redirect("hydro:imports")
    page = Paginator(ImportRun.objects.select_related("actor"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "hydro/imports.html",
        {"page": page, "can_import": can_import, "kinds": ImportKind.choices},
    )


@login_required
@require_GET
def import_rejects(request, pk: int):
    if not may(request.user, P.HYDRO_VIEW):
        raise PermissionDenied
    run = get_object_or_404(ImportRun, pk=pk)
    rows = imports.rejects_of(run)
    return render(request, "hydro/import_rejects.html", {"run": run, "rows": rows})


# --- console: briefings -----------------------------------------------------------------------
def _briefing(request, pk: int) -> Briefing:
    briefing = get_object_or_404(Briefing.objects.select_related("account"), pk=pk)
    if not may(request.user, P.HYDRO_VIEW, briefing.account):
        raise PermissionDenied
    return briefing


@login_required
@require_http_methods(["GET", "POST"])
def briefing_list(request):
    accounts = accounts_for(request.user, P.HYDRO_VIEW)
    if not accounts:
        raise PermissionDenied
    writable = accounts_for(request.user, P.HYDRO_BRIEFING)
    start, end = briefing_numbers.default_window()
    if request.method == "POST":
        account = account_chosen(writable, request.POST.get("account"))
        try:
            briefing = briefings.briefing_generate(
                actor=request.user,
                account=account,
                start=parse_moment(request.POST.get("start")) or start,
                end=parse_moment(request.POST.get("end")) or end,
            )
        except ValidationError as exc:
            for text in error_messages(exc):
                messages.error(request, text)
        else:
            return redirect("hydro:briefing", pk=briefing.pk)
    page = Paginator(
        Briefing.objects.filter(account__in=accounts).select_related("account", "created_by"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "hydro/briefings.html",
        {
            "page": page,
            "writable": writable,
            "start": timezone.localtime(start),
            "end": timezone.localtime(end),
        },
    )


@login_required
@require_GET
def briefing_detail(request, pk: int):
    briefing = _briefing(request, pk)
    can_offer = (
        briefing.status == BriefingStatus.DRAFT
        and may(request.user, P.HYDRO_BRIEFING, briefing.account)
        and may(request.user, NEWSROOM_WRITE, briefing.account)
    )
    return render(
        request,
        "hydro/briefing.html",
        {
            "b": briefing,
            "body": briefings.render_body(briefing, links=True),
            "charts": briefing.charts.all(),
            "can_offer": can_offer,
        },
    )


@login_required
@require_POST
def briefing_offer(request, pk: int):
    briefing = _briefing(request, pk)
    try:
        briefings.briefing_offer(actor=request.user, briefing=briefing)
    except ValidationError as exc:
        for text in error_messages(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("Sent to the newsroom as a draft for review."))
    return redirect("hydro:briefing", pk=briefing.pk)


@login_required
@require_GET
def briefing_chart(request, pk: int, kind: str):
    briefing = _briefing(request, pk)
    chart = get_object_or_404(BriefingChart, briefing=briefing, kind=kind)
    response = HttpResponse(bytes(chart.png), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


ROWS_LIMIT = 2000


@login_required
@require_GET
def rows(request):
    """The observations behind a number of a briefing (or any window and stations)."""
    if not may(request.user, P.HYDRO_VIEW):
        raise PermissionDenied
    kind = request.GET.get("kind", "rain")
    start, end = parse_moment(request.GET.get("start")), parse_moment(request.GET.get("end"))
    if kind not in ROW_KINDS or start is None or end is None:
        raise Http404(_("Say which rows: kind, start and end."))
    codes = [c for c in request.GET.get("stcd", "").split(",") if c]
    data = selectors.observation_rows(kind, start, end, codes, limit=ROWS_LIMIT)
    return render(
        request,
        "hydro/rows.html",
        {
            "data": data,
            "kind": kind,
            "start": start,
            "end": end,
            "codes": codes,
            "limit": ROWS_LIMIT,
        },
    )
