"""A person's notifications, the open console's poll (badge, banner, sound), the delivery log.

The poll is stateless: the page keeps the newest id it has seen and asks for what is newer; the
server answers from the database, so any web process can answer any console.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhengwei.access.policy import require
from zhengwei.notify import selectors, services
from zhengwei.notify.models import Channel, DeliveryState
from zhengwei.notify.policy import NOTIFY_DELIVERIES


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(user=request.user, unread_only=unread_only)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def notification_read(request):
    ids = None
    if request.POST.get("all") != "1":
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    count = services.notification_mark_read(user=request.user, ids=ids)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"marked": count, "unread": selectors.unread_count(user=request.user)})
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "notify:list")


@login_required
@require_GET
def notification_poll(request):
    """``?after=N``: the unread count, the newest id, and the urgent unread ones for the banner
    (``fresh`` marks those newer than N, for which the console plays its sound)."""
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    items = selectors.banner(user=request.user)
    return JsonResponse(
        {
            "unread": selectors.unread_count(user=request.user),
            "latest": selectors.latest_id(user=request.user),
            "urgent": [
                {
                    "id": n.pk,
                    "title": n.title,
                    "body": n.body,
                    "url": n.url,
                    "at": timezone.localtime(n.created_at).strftime("%m-%d %H:%M"),
                    "fresh": n.pk > after,
                }
                for n in items
            ],
            "poll_ms": settings.NOTIFY_POLL_MS,
        }
    )


@login_required
@require_GET
def delivery_log(request):
    require(request.user, NOTIFY_DELIVERIES)
    channel = request.GET.get("channel", "")
    state = request.GET.get("state", "")
    channel = channel if channel in Channel.values else ""
    state = state if state in DeliveryState.values else ""
    qs = selectors.deliveries_for(user=request.user, channel=channel, state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/deliveries.html",
        {
            "page": page,
            "channels": Channel.choices,
            "states": DeliveryState.choices,
            "channel": channel,
            "state": state,
            "gateway": settings.NOTIFY_GATEWAY,
        },
    )
