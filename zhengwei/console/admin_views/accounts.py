from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengwei.access.policy import ACTION_ROLES, Action, require
from zhengwei.console.admin_views._common import submit
from zhengwei.console.forms import AccountForm, detached
from zhengwei.console.navigation import all_items
from zhengwei.orgs import selectors, services
from zhengwei.orgs.models import Role, WeChatAccount
from zhengwei.wechat.inbound.policy import chain_for


def mask(value: str, keep: int = 4) -> str:
    """Dots and the last ``keep`` characters: enough to recognise a key, not to use it."""
    if not value:
        return "—"
    return "•" * 12 + value[-keep:]


def callback_path(account: WeChatAccount) -> str:
    return f"/wechat/callback/{account.original_id}/"


@login_required
def account_list(request):
    user = request.user
    require(user, Action.ACCOUNT_MANAGE)
    accounts = selectors.account_admin_list(user=user)
    return render(request, "console/accounts/list.html", {"accounts": accounts})


@login_required
def account_detail(request, pk: int):
    user = request.user
    account = selectors.account_get(user=user, pk=pk, action=Action.ACCOUNT_MANAGE)
    grants = sorted(selectors.grants_for(account=account), key=lambda g: list(Role).index(g.role))
    holders = [
        {"role": Role(role).label, "grants": list(items)}
        for role, items in groupby(grants, key=lambda g: g.role)
    ]
    return render(
        request,
        "console/accounts/detail.html",
        {
            "account": account,
            "aes_key_masked": mask(account.encoding_aes_key),
            "callback_url": request.build_absolute_uri(callback_path(account)),
            "holders": holders,
        },
    )


def _form(request, user, instance=None):
    offices = selectors.organisations_where(user=user, action=Action.ORG_MANAGE, kinds=["office"])
    if instance is not None and instance.office_id not in {o.pk for o in offices}:
        offices.append(instance.office)
    return AccountForm(
        request.POST or None,
        instance=instance,
        office_choices=offices,
        contractor_choices=selectors.contractor_choices(user=user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    user = request.user
    require(user, Action.ACCOUNT_MANAGE)
    form = _form(request, user)

    def save():
        account = services.account_create(
            actor=user, app_secret=form.cleaned_data["app_secret"], **form.service_data()
        )
        messages.success(request, _("WeChat account “%(name)s” created.") % {"name": account})
        return redirect("console:account_detail", pk=account.pk)

    return submit(request, form, save) or render(
        request,
        "console/accounts/form.html",
        {"form": form, "title": _("New WeChat account"), "account": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request, pk: int):
    user = request.user
    account = selectors.account_get(user=user, pk=pk, action=Action.ACCOUNT_MANAGE)
    form = _form(request, user, instance=detached(account))
    confirm = request.POST.get("confirm_model", "")

    def save():
        services.account_update(
            actor=user,
            account=account,
            app_secret=form.cleaned_data["app_secret"],
            confirm_model=confirm,
            **form.service_data(),
        )
        messages.success(request, _("WeChat account “%(name)s” saved.") % {"name": account})
        return redirect("console:account_detail", pk=account.pk)

    preview = None
    if request.method == "POST" and form.is_valid():
        new_model = form.cleaned_data.get("operation_model") or account.operation_model
        if new_model != account.operation_model and confirm != new_model:
            # Shown first, saved only when confirmed with it in view.
            preview = model_change_preview(user, account, new_model)
    return (None if preview else submit(request, form, save)) or render(
        request,
        "console/accounts/form.html",
        {
            "form": form,
            "title": _("Edit WeChat account"),
            "account": account,
            "secret_display": account.app_secret_display,
            "preview": preview,
        },
    )


def model_change_preview(user, account: WeChatAccount, new_model: str) -> dict:
    """The rights preview, with the console pages each role gains or loses (their labels are
    what people know the actions by) and the approval path of what the account says by itself."""
    preview = selectors.operation_model_preview(user=user, account=account, new_model=new_model)
    pages = [(item, ACTION_ROLES.get(item.action, set())) for item in all_items()]
    for row in preview["roles"]:
        row["pages"] = [str(item.label) for item, roles in pages if row["role"] in roles]
    preview["new_model_code"] = new_model
    preview["chain_before"] = [Role(r).label for r in chain_for(account.operation_model)]
    preview["chain_after"] = [Role(r).label for r in chain_for(new_model)]
    return preview
