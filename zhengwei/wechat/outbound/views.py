"""Console pages of the WeChat API: the custom menu, the API call log and the statistics."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengwei.access.policy import account_for, accounts_for
from zhengwei.wechat.inbound.policy import must_submit
from zhengwei.wechat.outbound import policy, selectors, services
from zhengwei.wechat.outbound.errors import WeChatError
from zhengwei.wechat.outbound.forms import ApiCallFilterForm, MenuForm, StatsRangeForm
from zhengwei.wechat.outbound.validation import menu_problems

API_LOG_PER_PAGE = 50


def _refused(request, exc: Exception) -> None:
    """A refusal by WeChat (or by a local check) becomes a message, never an error page."""
    if isinstance(exc, ValidationError):
        text = " ".join(exc.messages)
    else:
        text = str(exc)
    flash.error(request, _("Not done: %(reason)s") % {"reason": text})


@login_required
@require_http_methods(["GET", "POST"])
def menu(request):
    user = request.user
    account = account_for(user, policy.MENU_MANAGE, request.GET.get("account"))
    here = f"{reverse('wechat_outbound:menu')}?account={account.pk}"
    action = request.POST.get("action", "")
    submit = must_submit(user, account)
    if action == "fetch":
        try:
            services.menu_fetch(actor=user, account=account)
        except (WeChatError, ValidationError) as exc:
            _refused(request, exc)
        else:
            flash.success(request, _("The menu was read from WeChat."))
        return redirect(here)
    current = selectors.current_menu(user=user, account=account)
    preview = current.json if current else None
    if request.method == "POST":
        form = MenuForm(request.POST)
        if form.is_valid():
            preview = form.menu()
            problems = menu_problems(preview)
            if problems:
                form.attach(problems)
            elif action == "publish" and submit:
                try:
                    change = services.menu_change_submit(actor=user, account=account, menu=preview)
                except ValidationError as exc:
                    _refused(request, exc)
                else:
                    flash.success(
                        request,
                        _(
                            "Submitted to the office for approval. Followers see the new menu "
                            "only after it is approved."
                        ),
                    )
                    return redirect("wechat_inbound:change", change.pk)
            elif action == "publish":
                try:
                    services.menu_publish(actor=user, account=account, menu=preview)
                except (WeChatError, ValidationError) as exc:
                    _refused(request, exc)
                else:
                    flash.success(
                        request, _("Published. Followers see the new menu within a few minutes.")
                    )
                    return redirect(here)
    else:
        form = MenuForm(initial=MenuForm.initial_from(preview))
    return render(
        request,
        "wechat_outbound/menu.html",
        {
            "account": account,
            "accounts": accounts_for(user, policy.MENU_MANAGE),
            "form": form,
            "current": current,
            "preview": preview,
            "submit": submit,
        },
    )


@login_required
def api_log(request):
    user = request.user
    account = account_for(user, policy.API_LOG_VIEW, request.GET.get("account"))
    form = ApiCallFilterForm(
        request.GET, endpoints=selectors.api_call_endpoints(user=user, account=account)
    )
    calls = selectors.api_call_search(user=user, account=account, **form.filters())
    page = Paginator(calls, API_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "wechat_outbound/api_log.html",
        {
            "account": account,
            "accounts": accounts_for(user, policy.API_LOG_VIEW),
            "form": form,
            "page": page,
            "chart": selectors.api_calls_per_hour(user=user, account=account, hours=48),
            "status": selectors.delivery_status(user=user, account=account),
        },
    )


@login_required
def stats(request):
    user = request.user
    account = account_for(user, policy.STATS_VIEW, request.GET.get("account"))
    form = StatsRangeForm(request.GET)
    begin, end = form.range()
    days = selectors.stats_days(user=user, account=account, begin=begin, end=end)
    known = [d for d in days if {d.new_user, d.cumulate_user, d.read_user} != {None}]
    return render(
        request,
        "wechat_outbound/stats.html",
        {
            "account": account,
            "accounts": accounts_for(user, policy.STATS_VIEW),
            "form": form,
            "begin": begin,
            "end": end,
            "days": known,
            "latest": selectors.stats_latest_day(user=user, account=account),
            "chart": {
                "days": [d.day.isoformat() for d in days],
                "new": [d.new_user for d in days],
                "cancel": [d.cancel_user for d in days],
                "cumulate": [d.cumulate_user for d in days],
                "reads": [d.read_user for d in days],
                "shares": [d.share_user for d in days],
            },
        },
    )
