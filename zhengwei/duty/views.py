"""The duty console, the report map and the response dashboard.

Live updates are short polling: the page asks ``changes/?cursor=N`` every DUTY_POLL_MS (1 s). The
answer is 204 with no body when nothing changed (one indexed query), otherwise the changed rows
rendered as HTML. Server-sent events would push instead, but each open console would hold one of
gunicorn's gthread threads for as long as it is open (2 workers × 8 threads in ./run), the very
threads WeChat's callback needs on a typhoon night; a 1-second poll costs a few milliseconds.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengwei.access.policy import account_for, may
from zhengwei.duty import policy as P
from zhengwei.duty import selectors
from zhengwei.interactions import policy as I
from zhengwei.interactions import selectors as inbox
from zhengwei.lib.errors import error_messages
from zhengwei.lib.privacy import mask_text
from zhengwei.reports import policy as R
from zhengwei.reports import selectors as reports
from zhengwei.reports import services as report_services
from zhengwei.reports.models import Hazard, Priority, State


def _poll_ms() -> int:
    return settings.DUTY_POLL_MS


def _record_seen(user, rows) -> None:
    """The console puts a report in front of the officer: that is when the office first saw it."""
    by_id = {r.pk: r for r in rows}
    for pk in selectors.unseen_by(user, list(by_id)):
        try:
            report_services.report_view_record(actor=user, report=by_id[pk])
        except PermissionDenied:
            continue


def _report_context(request, account) -> dict:
    return {
        "units": reports.units_of(account),
        "priorities": Priority.choices,
        "now": timezone.now(),
        "is_duty_leader": P.is_duty_leader(request.user, account),
    }


def _row_html(request, report, ctx: dict, photos: dict, message: str = "", error: str = "") -> str:
    actions = reports.report_actions(user=request.user, report=report)
    return render_to_string(
        "duty/_report_row.html",
        {
            **ctx,
            "r": report,
            "actions": actions,
            "can_dispatch": "dispatch" in actions
            or ("triage" in actions and report.state == State.RECEIVED),
            "photos": photos.get(report.pk, []),
            "same_event": ctx.get("dups", {}).get(report.pk, []),
            "waiting": ctx.get("waiting", {}).get(report.pk, 0),
            "overdue": report.is_overdue(ctx["now"]),
            "row_message": message,
            "row_error": error,
        },
        request=request,
    )


def _conversation_html(request, conversation, personal: bool) -> str:
    return render_to_string(
        "duty/_conversation_row.html",
        {
            "c": conversation,
            "text": inbox.shown(conversation.preview),
            "overdue": conversation.overdue(),
        },
        request=request,
    )


def _alarms_html(request, account) -> str:
    return render_to_string(
        "duty/_alarms.html",
        {
            "alarms": selectors.alarms(user=request.user, account=account),
            "is_duty_leader": P.is_duty_leader(request.user, account),
        },
        request=request,
    )


def _headline(request, account) -> dict:
    data = selectors.headline(user=request.user, account=account)
    data["oldest_waiting"] = selectors.fmt_age(data["oldest_waiting_s"])
    summary = selectors.inbox_summary(user=request.user, account=account)
    data["inbox_open"] = summary["open"] if summary else None
    data["inbox_overdue"] = summary["overdue"] if summary else None
    return data


def _report_payload(request, report, ctx, photos) -> dict:
    return {
        "id": report.pk,
        "dom_id": f"report-{report.pk}",
        "html": _row_html(request, report, ctx, photos),
        "alert": report.first_ack_at is None,
        "p0": report.lives_in_danger or report.priority == Priority.P0,
        "ticket": report.ticket,
        "title": f"{report.get_priority_display()} · {report.get_hazard_display()}",
        "body": " ".join(p for p in (report.county_name, mask_text(report.description)[:60]) if p),
    }


@login_required
@require_GET
def console(request):
    account = account_for(request.user, P.DUTY_CONSOLE, request.GET.get("account"))
    rows = selectors.console_reports(user=request.user, account=account)
    _record_seen(request.user, rows)
    ctx = _report_context(request, account)
    photos = selectors.photo_index([r.pk for r in rows])
    ctx["dups"] = reports.duplicate_flags([r.pk for r in rows])
    ctx["waiting"] = reports.waiting_by_report([r.pk for r in rows])
    personal = inbox.sees_personal(request.user, account)
    conversations = (
        selectors.console_conversations(user=request.user, account=account)
        if may(request.user, I.INBOX_VIEW, account)
        else []
    )
    return render(
        request,
        "duty/console.html",
        {
            "account": account,
            "report_rows": [_row_html(request, r, ctx, photos) for r in rows],
            "known_ids": [r.pk for r in rows],
            "conversation_rows": [_conversation_html(request, c, personal) for c in conversations],
            "alarms_html": _alarms_html(request, account),
            "headline": _headline(request, account),
            "cursor": selectors.cursor_now(account),
            "poll_ms": _poll_ms(),
            "show_inbox": may(request.user, I.INBOX_VIEW, account),
            "emergency": report_services.emergency_current(account),
            "can_switch_emergency": may(request.user, R.REPORTS_EMERGENCY, account),
        },
    )


@login_required
@require_POST
def emergency(request):
    """The duty or office leader switches emergency mode on (with a reason) or off."""
    account = account_for(request.user, P.DUTY_CONSOLE, request.POST.get("account"))
    try:
        if request.POST.get("on") == "1":
            report_services.emergency_start(
                actor=request.user, account=account, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Emergency mode is on."))
        else:
            report_services.emergency_end(actor=request.user, account=account)
            messages.success(request, _("Emergency mode is off."))
    except ValidationError as exc:
        for text in error_messages(exc):
            messages.error(request, text)
    return redirect(f"{reverse('duty:console')}?account={account.pk}")


@login_required
@require_GET
def emergency_history(request):
    """When emergency mode was on, who switched it, why, and which deadlines applied."""
    account = account_for(request.user, R.REPORTS_EMERGENCY_VIEW, request.GET.get("account"))
    rows = reports.emergency_history(user=request.user, account=account)
    for row in rows:
        row["duration_text"] = selectors.fmt_age(int(row["duration"].total_seconds()))
    return render(
        request,
        "duty/emergency_history.html",
        {
            "account": account,
            "rows": rows,
            "current": report_services.emergency_current(account),
            "can_switch_emergency": may(request.user, R.REPORTS_EMERGENCY, account),
        },
    )


@login_required
@require_GET
def changes(request):
    """What changed since ``cursor``: 204 when nothing did; ``full=1`` sends every row again."""
    account = account_for(request.user, P.DUTY_CONSOLE, request.GET.get("account"))
    try:
        cursor = max(0, int(request.GET.get("cursor") or 0))
    except ValueError:
        return JsonResponse({"error": "bad cursor"}, status=400)
    ctx = _report_context(request, account)
    personal = inbox.sees_personal(request.user, account)
    show_inbox = may(request.user, I.INBOX_VIEW, account)
    if request.GET.get("full"):
        rows = selectors.console_reports(user=request.user, account=account)
        conversations = (
            selectors.console_conversations(user=request.user, account=account)
            if show_inbox
            else []
        )
        new_cursor = selectors.cursor_now(account)
        report_items = None
    else:
        found = selectors.changes_since(account=account, cursor=cursor)
        if found is None:
            return HttpResponse(status=204)
        new_cursor = found.cursor
        by_id = selectors.reports_by_id(user=request.user, account=account, ids=found.report_ids)
        rows = [by_id[pk] for pk in found.report_ids if pk in by_id]
        report_items = [
            {"id": pk, "dom_id": f"report-{pk}", "remove": True}
            for pk in found.report_ids
            if pk not in by_id
        ]
        conversations = (
            selectors.console_conversations(
                user=request.user, account=account, ids=found.conversation_ids
            )
            if show_inbox
            else []
        )
        gone = set(found.conversation_ids) - {c.pk for c in conversations}
    on_console = [r for r in rows if selectors.is_on_console(r)]
    _record_seen(request.user, on_console)
    photos = selectors.photo_index([r.pk for r in on_console])
    ctx["dups"] = reports.duplicate_flags([r.pk for r in on_console])
    ctx["waiting"] = reports.waiting_by_report([r.pk for r in on_console])
    items = [] if report_items is None else report_items
    for report in rows:
        if selectors.is_on_console(report):
            items.append(_report_payload(request, report, ctx, photos))
        else:
            items.append({"id": report.pk, "dom_id": f"report-{report.pk}", "remove": True})
    conv_items = []
    for c in conversations:
        if c.is_open:
            conv_items.append(
                {
                    "id": c.pk,
                    "dom_id": f"conv-{c.pk}",
                    "html": _conversation_html(request, c, personal),
                }
            )
        else:
            conv_items.append({"id": c.pk, "dom_id": f"conv-{c.pk}", "remove": True})
    if not request.GET.get("full"):
        conv_items += [{"id": pk, "dom_id": f"conv-{pk}", "remove": True} for pk in sorted(gone)]
    return JsonResponse(
        {
            "cursor": new_cursor,
            "full": bool(request.GET.get("full")),
            "reports": items,
            "conversations": conv_items,
            "alarms_html": _alarms_html(request, account),
            "headline": _headline(request, account),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _reply_outcome(report) -> str:
    """Say what happened to the reply: sent, being sent, or queued until the citizen writes again
    (beyond the 48-hour window), with the number of messages waiting."""
    state = reports.last_message_state(report)
    if state is None:
        return _("The step is recorded; no message could be sent to the citizen.")
    if state == "waiting_window":
        return _(
            "Queued: it goes out automatically when the citizen writes again "
            "(%(n)d message(s) waiting for this report)."
        ) % {"n": reports.waiting_by_report([report.pk]).get(report.pk, 0)}
    if state == "failed":
        return _("Sending to the citizen failed; see the message log.")
    if state == "retrying":
        return _("WeChat did not take the reply; it is sent again automatically.")
    if state == "sent":
        return _("Reply sent to the citizen.")
    return _("Reply handed to WeChat for sending.")


@login_required
@require_POST
def report_act(request, ticket: str, verb: str):
    """One click on the console: acknowledge, dispatch, reply, or hand off to 110/119."""
    report = reports.report_get(user=request.user, ticket=ticket)
    user, p = request.user, request.POST
    message = error = ""
    try:
        match verb:
            case "ack":
                report_services.report_ack(actor=user, report=report)
                message = _("Acknowledged; the citizen has been told.")
            case "dispatch":
                unit = reports.unit_of(report.account, p["unit"]) if p.get("unit") else None
                report_services.report_triage_and_dispatch(
                    actor=user, report=report, priority=p.get("priority", ""), unit=unit
                )
                report.refresh_from_db()
                message = _("Dispatched to %(unit)s.") % {"unit": report.assigned_unit}
            case "reply":
                text = (p.get("text") or "").strip()
                if not text:
                    raise ValidationError(_("Write the reply."))
                report_services.report_contact(actor=user, report=report, public_note=text)
                message = _reply_outcome(report)
            case "escalate":
                report_services.report_escalate(
                    actor=user,
                    report=report,
                    reason=(p.get("reason") or "").strip()
                    or _("Lives in danger: handed to 110/119 and the duty leader."),
                    emergency=True,
                )
                message = _("Escalated: 110/119 hand-off recorded, duty leader alerted.")
            case _:
                raise Http404
    except ValidationError as exc:
        error = " ".join(error_messages(exc))
    report.refresh_from_db()
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        elif message:
            messages.success(request, message)
        return redirect("duty:console")
    account = report.account
    if not selectors.is_on_console(report):
        return render(request, "duty/_report_done.html", {"r": report, "message": message})
    ctx = _report_context(request, account)
    photos = selectors.photo_index([report.pk])
    ctx["dups"] = reports.duplicate_flags([report.pk])
    ctx["waiting"] = reports.waiting_by_report([report.pk])
    return HttpResponse(_row_html(request, report, ctx, photos, message, error))


# --- the map ---------------------------------------------------------------------------------
@login_required
@require_GET
def map_page(request):
    account = account_for(request.user, R.REPORTS_VIEW, request.GET.get("account"))
    return render(
        request,
        "duty/map.html",
        {
            "account": account,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "hazards": Hazard.choices,
            "priorities": Priority.choices,
            "periods": [("24h", _("24 hours")), ("7d", _("7 days")), ("30d", _("30 days"))],
        },
    )


@login_required
@require_GET
def map_data(request):
    account = account_for(request.user, R.REPORTS_VIEW, request.GET.get("account"))
    filters = {
        key: request.GET.get(key, "")
        for key in ("state", "hazard", "priority", "period")
        if request.GET.get(key)
    }
    if filters.get("state") not in (None, "open", "done"):
        filters.pop("state")
    if filters.get("hazard") and filters["hazard"] not in Hazard.values:
        filters.pop("hazard")
    if filters.get("priority") and filters["priority"] not in Priority.values:
        filters.pop("priority")
    data = selectors.map_features(user=request.user, account=account, filters=filters)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


# --- the dashboard -----------------------------------------------------------------------------
@login_required
@require_GET
def metrics_page(request):
    account = account_for(request.user, R.REPORTS_METRICS, request.GET.get("account"))
    return render(request, "duty/metrics.html", {"account": account, "days": _days(request)})


def _days(request) -> int:
    try:
        days = int(request.GET.get("days") or 7)
    except ValueError:
        days = 7
    return days if days in (1, 7, 30, 90) else 7


@login_required
@require_GET
def metrics_data(request):
    account = account_for(request.user, R.REPORTS_METRICS, request.GET.get("account"))
    data = selectors.dashboard(user=request.user, account=account, days=_days(request))
    summary = selectors.inbox_summary(user=request.user, account=account)
    data["inbox"] = summary
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
