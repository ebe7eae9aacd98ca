from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zhengwei.access.policy import Action, account_for, accounts_for, may
from zhengwei.access.privacy import lens_revealed
from zhengwei.audit.middleware import client_ip
from zhengwei.wechat.inbound import selectors, services
from zhengwei.wechat.inbound.callback import handle, parse_query
from zhengwei.wechat.inbound.forms import KeywordReplyForm, MenuClickReplyForm
from zhengwei.wechat.inbound.models import KeywordReply, MenuClickReply
from zhengwei.wechat.inbound.policy import MESSAGES_VIEW, REPLIES_MANAGE, REPLIES_VIEW
from zhengwei.wechat.inbound.store import DirectStore
from zhengwei.wechat.inbound.tasks import notify_stored

_direct_store = DirectStore(notify_stored)


@csrf_exempt
def callback(request, original_id: str):
    """WeChat's callback through Django (runserver, test client). Production traffic takes the
    lean path in zhengwei/wsgi.py; both call the same ``callback.handle``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = None
    response = handle(
        method=request.method,
        original_id=original_id,
        params=parse_query(request.META.get("QUERY_STRING", "")),
        read_body=lambda: request.body,
        content_length=length,
        ip=client_ip(request),
        path=request.path,
        store=_direct_store,
    )
    return HttpResponse(response.body, status=response.status, content_type=response.content_type)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def messages(request):
    user = request.user
    account = account_for(user, MESSAGES_VIEW, request.GET.get("account"))
    revealed = False
    if request.method == "POST":
        # What citizens wrote, in full: audited, and refused to those without personal_data.view.
        lens_revealed(actor=user, account=account, obj=account, what=_("message log"))
        revealed = True
    kind = request.GET.get("kind", "")
    before = _int(request.GET.get("before"))
    found = list(selectors.message_list(user=user, account=account, kind=kind, before=before))
    context = {
        "account": account,
        "accounts": accounts_for(user, MESSAGES_VIEW),
        "kind": kind,
        "before": before,
        "rows": selectors.message_rows(
            user=user, account=account, messages=found, revealed=revealed
        ),
        "revealed": revealed,
        "can_reveal": may(user, Action.PERSONAL_DATA_VIEW, account),
        "older": found[-1].pk if len(found) == selectors.PAGE else None,
        # Poll only on the newest page: older pages do not change.
        "poll": before is None and not revealed,
        "rejections": selectors.rejection_list(user=user, account=account),
    }
    if request.htmx and request.GET.get("partial"):
        return render(request, "wechat_inbound/_message_rows.html", context)
    return render(request, "wechat_inbound/messages.html", context)


@login_required
def replies(request):
    user = request.user
    account = account_for(user, REPLIES_VIEW, request.GET.get("account"))
    return render(
        request,
        "wechat_inbound/replies.html",
        {
            "account": account,
            "accounts": accounts_for(user, REPLIES_VIEW),
            "keywords": selectors.keyword_replies(user=user, account=account),
            "menu_replies": selectors.menu_click_replies(user=user, account=account),
            "can_manage": may(user, REPLIES_MANAGE, account),
        },
    )


def _edit(request, *, model, form_class, pk, create, update, title):
    user = request.user
    if pk is None:
        account = account_for(user, REPLIES_MANAGE, request.GET.get("account"))
        instance = model(account=account)
    else:
        instance = selectors.reply_get(user=user, model=model, pk=pk)
        account = instance.account
        if not may(user, REPLIES_MANAGE, account):
            raise PermissionDenied
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if pk is None:
                create(actor=user, account=account, **form.cleaned_data)
            else:
                update(actor=user, reply=model.objects.get(pk=pk), **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            flash.success(request, _("Saved. Replies change within seconds."))
            return redirect(f"{reverse('wechat_inbound:replies')}?account={account.pk}")
    return render(
        request,
        "wechat_inbound/reply_form.html",
        {"form": form, "account": account, "title": title, "instance": instance},
    )


@login_required
def keyword_edit(request, pk: int | None = None):
    return _edit(
        request,
        model=KeywordReply,
        form_class=KeywordReplyForm,
        pk=pk,
        create=services.keyword_reply_create,
        update=services.keyword_reply_update,
        title=_("Keyword reply"),
    )


@login_required
def menu_edit(request, pk: int | None = None):
    return _edit(
        request,
        model=MenuClickReply,
        form_class=MenuClickReplyForm,
        pk=pk,
        create=services.menu_click_reply_create,
        update=services.menu_click_reply_update,
        title=_("Menu click reply"),
    )


def _delete(request, model, pk, service):
    obj = selectors.reply_get(user=request.user, model=model, pk=pk)
    service(actor=request.user, reply=obj)
    flash.success(request, _("Deleted."))
    return redirect(f"{reverse('wechat_inbound:replies')}?account={obj.account_id}")


@login_required
@require_POST
def keyword_delete(request, pk: int):
    return _delete(request, KeywordReply, pk, services.keyword_reply_delete)


@login_required
@require_POST
def menu_delete(request, pk: int):
    return _delete(request, MenuClickReply, pk, services.menu_click_reply_delete)
