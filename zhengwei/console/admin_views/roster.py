from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhengwei.access.policy import Action, may, require
from zhengwei.console.forms import ShiftForm, add_service_errors
from zhengwei.lib.text import parse_day
from zhengwei.orgs import selectors, services


def _parse_day(raw: str | None) -> date:
    return parse_day(raw) or timezone.localdate()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_url(day: date) -> str:
    return f"{reverse('console:roster')}?{urlencode({'week': week_start(day).isoformat()})}"


@login_required
def roster_week(request):
    """Days across, organisations down; each cell lists the shifts that start that day."""
    user = request.user
    require(user, Action.ROSTER_VIEW)
    monday = week_start(_parse_day(request.GET.get("week")))
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(monday, time.min), tz)
    end = start + timedelta(days=7)
    days = [monday + timedelta(days=i) for i in range(7)]
    shifts = list(selectors.roster_list(user=user, start=start, end=end))
    orgs = list(selectors.roster_organisations(user=user))
    for shift in shifts:
        if shift.organisation not in orgs:
            orgs.append(shift.organisation)
    can_manage = may(user, Action.ROSTER_MANAGE)
    rows = []
    for org in orgs:
        manageable = can_manage and may(user, Action.ROSTER_MANAGE, org)
        cells = [[] for _day in days]
        for shift in shifts:
            if shift.organisation_id != org.pk:
                continue
            local_start = timezone.localtime(shift.starts_at, tz)
            index = max(0, (local_start.date() - monday).days)
            cells[index].append(
                {
                    "shift": shift,
                    "span": _span(local_start, timezone.localtime(shift.ends_at, tz), monday),
                }
            )
        rows.append(
            {"org": org, "cells": list(zip(days, cells, strict=True)), "manageable": manageable}
        )
    return render(
        request,
        "console/roster/week.html",
        {
            "days": days,
            "rows": rows,
            "today": timezone.localdate(),
            "monday": monday,
            "sunday": days[-1],
            "prev_url": week_url(monday - timedelta(days=7)),
            "next_url": week_url(monday + timedelta(days=7)),
            "this_url": week_url(timezone.localdate()),
            "can_manage": can_manage,
        },
    )


def _span(start: datetime, end: datetime, monday: date) -> str:
    """08:00–20:00, 08:00–next day 08:00, or with dates when the shift reaches further."""
    begin = start.strftime("%m-%d %H:%M") if start.date() < monday else start.strftime("%H:%M")
    days = (end.date() - start.date()).days
    if days == 0:
        finish = end.strftime("%H:%M")
    elif days == 1:
        finish = _("next day %(time)s") % {"time": end.strftime("%H:%M")}
    else:
        finish = end.strftime("%m-%d %H:%M")
    return f"{begin}–{finish}"


def _manageable_orgs(user):
    return [
        o for o in selectors.roster_organisations(user=user) if may(user, Action.ROSTER_MANAGE, o)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def shift_create(request):
    user = request.user
    require(user, Action.ROSTER_MANAGE)
    orgs = _manageable_orgs(user)
    if request.method == "POST":
        form = ShiftForm(request.POST, organisations=orgs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shift = services.duty_shift_create(
                    actor=user,
                    organisation=data["organisation"],
                    user=data["user"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    post=data["post"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(person)s is on the roster of %(org)s.")
                    % {"person": shift.user, "org": shift.organisation},
                )
                return redirect(week_url(timezone.localtime(shift.starts_at).date()))
    else:
        org = next((o for o in orgs if str(o.pk) == request.GET.get("organisation")), None)
        form = ShiftForm(
            initial=ShiftForm.initial_for(_parse_day(request.GET.get("day")), org),
            organisations=orgs,
        )
    # Picking an organisation reloads the person choices with its members.
    form.fields["organisation"].widget.attrs.update(
        {
            "hx-get": reverse("console:shift_people"),
            "hx-target": "#shift-person",
            "hx-swap": "innerHTML",
        }
    )
    return render(request, "console/roster/shift_form.html", {"form": form})


@login_required
def shift_people(request):
    """HTMX: the person choices once an organisation is picked."""
    user = request.user
    require(user, Action.ROSTER_MANAGE)
    form = ShiftForm(
        initial={"organisation": request.GET.get("organisation", "")},
        organisations=_manageable_orgs(user),
    )
    return render(request, "console/roster/_people_options.html", {"field": form["user"]})


@login_required
@require_POST
def shift_delete(request, pk: int):
    user = request.user
    shift = selectors.shift_get(user=user, pk=pk, action=Action.ROSTER_MANAGE)
    day = timezone.localtime(shift.starts_at).date()
    services.duty_shift_delete(actor=user, shift=shift)
    messages.success(
        request,
        _("The shift of %(person)s on %(day)s is removed.")
        % {"person": shift.user, "day": day.strftime("%m-%d")},
    )
    return redirect(week_url(day))
