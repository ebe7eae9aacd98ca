from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zhengwei.access.policy import Action, account_for, accounts_for, may, roles_of
from zhengwei.access.privacy import lens_revealed
from zhengwei.audit.middleware import client_ip
from zhengwei.orgs.models import Role
from zhengwei.wechat.inbound import changes, selectors, services
from zhengwei.wechat.inbound.callback import handle, parse_query
from zhengwei.wechat.inbound.forms import KeywordReplyForm, MenuClickReplyForm
from zhengwei.wechat.inbound.models import (
    ChangeKind,
    ChangeOp,
    ChangeState,
    KeywordReply,
    MenuClickReply,
    ReviewOutcome,
)
from zhengwei.wechat.inbound.policy import (
    CHANGES_FAST_TRACK,
    CHANGES_VIEW,
    MESSAGES_VIEW,
    REPLIES_MANAGE,
    REPLIES_VIEW,
    approval_chain,
    must_submit,
    speaks_for_office,
)
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
            "submit": must_submit(user, account),
            "pending_changes": selectors.pending_changes_count(account=account)
            if may(user, CHANGES_VIEW, account)
            else None,
        },
    )


def _edit(request, *, model, form_class, pk, create, update, title, kind):
    user = request.user
    if pk is None:
        account = account_for(user, REPLIES_MANAGE, request.GET.get("account"))
        instance = model(account=account)
    else:
        instance = selectors.reply_get(user=user, model=model, pk=pk)
        account = instance.account
        if not may(user, REPLIES_MANAGE, account):
            raise PermissionDenied
    submit = must_submit(user, account)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if submit:
                target = None if pk is None else model.objects.get(pk=pk)
                change = changes.content_change_open(
                    actor=user,
                    account=account,
                    kind=kind,
                    op=ChangeOp.CREATE if pk is None else ChangeOp.UPDATE,
                    target=target,
                    payload=form.cleaned_data,
                )
            elif pk is None:
                create(actor=user, account=account, **form.cleaned_data)
            else:
                update(actor=user, reply=model.objects.get(pk=pk), **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if submit:
                flash.success(request, _SUBMITTED)
                return redirect("wechat_inbound:change", change.pk)
            flash.success(request, _("Saved. Replies change within seconds."))
            return redirect(f"{reverse('wechat_inbound:replies')}?account={account.pk}")
    return render(
        request,
        "wechat_inbound/reply_form.html",
        {
            "form": form,
            "account": account,
            "title": title,
            "instance": instance,
            "submit": submit,
        },
    )


_SUBMITTED = gettext_lazy(
    "Submitted to the office for approval. Citizens see nothing of it until it is approved."
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
        kind=ChangeKind.KEYWORD,
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
        kind=ChangeKind.MENU_REPLY,
    )


def _delete(request, model, pk, service, kind):
    obj = selectors.reply_get(user=request.user, model=model, pk=pk)
    if must_submit(request.user, obj.account):
        change = changes.content_change_open(
            actor=request.user, account=obj.account, kind=kind, op=ChangeOp.DELETE, target=obj
        )
        flash.success(request, _SUBMITTED)
        return redirect("wechat_inbound:change", change.pk)
    service(actor=request.user, reply=obj)
    flash.success(request, _("Deleted."))
    return redirect(f"{reverse('wechat_inbound:replies')}?account={obj.account_id}")


@login_required
@require_POST
def keyword_delete(request, pk: int):
    return _delete(request, KeywordReply, pk, services.keyword_reply_delete, ChangeKind.KEYWORD)


@login_required
@require_POST
def menu_delete(request, pk: int):
    return _delete(
        request, MenuClickReply, pk, services.menu_click_reply_delete, ChangeKind.MENU_REPLY
    )


# --- the office's approval of what the contractor drafted -------------------------------------


@login_required
def change_list(request):
    user = request.user
    account = account_for(user, CHANGES_VIEW, request.GET.get("account"))
    rows = list(selectors.content_changes(user=user, account=account)[:100])
    return render(
        request,
        "wechat_inbound/changes.html",
        {
            "account": account,
            "accounts": accounts_for(user, CHANGES_VIEW),
            "pending": [c for c in rows if c.state == ChangeState.PENDING],
            "decided": [c for c in rows if c.state != ChangeState.PENDING],
            "chain": [Role(r).label for r in approval_chain(account)],
            "emergency": changes.emergency_reason(account),
        },
    )


def _shown(field, value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.choices and value is not None:
        return str(dict(field.choices).get(value, value))
    return "" if value is None else str(value)


def _fields(change) -> list[tuple[str, str, str]]:
    """(label, before, proposed) of each field of a reply, in words."""
    model = changes.MODELS.get(change.kind)
    if model is None:
        return []
    rows = []
    for name in changes.FIELDS[change.kind]:
        field = model._meta.get_field(name)
        rows.append(
            (
                field.verbose_name,
                _shown(field, (change.before or {}).get(name)),
                _shown(field, (change.payload or {}).get(name)),
            )
        )
    return rows


def _next_role(change) -> str:
    done = sum(1 for r in change.reviews.all() if r.outcome == ReviewOutcome.APPROVED)
    return change.chain[done] if done < len(change.chain) else ""


@login_required
def change_detail(request, pk: int):
    user = request.user
    change = selectors.content_change_get(user=user, pk=pk)
    account = change.account
    pending = change.state == ChangeState.PENDING
    next_role = _next_role(change) if pending else ""
    office = speaks_for_office(user) and user.pk != change.drafted_by_id
    emergency = changes.emergency_reason(account) if pending else ""
    held = roles_of(user, account)
    return render(
        request,
        "wechat_inbound/change.html",
        {
            "account": account,
            "change": change,
            "reviews": list(change.reviews.all()),
            "chain_labels": [Role(r).label for r in change.chain],
            "next_role": Role(next_role).label if next_role else "",
            "can_approve": pending
            and office
            and next_role in held
            and not change.reviews.filter(reviewer=user, outcome=ReviewOutcome.APPROVED).exists(),
            "can_fast_track": pending
            and office
            and bool(emergency)
            and may(user, CHANGES_FAST_TRACK, account),
            "can_withdraw": pending and user.pk == change.drafted_by_id,
            "emergency": emergency,
            "before_menu": change.before if change.kind == ChangeKind.MENU else None,
            "fields": _fields(change),
        },
    )


@login_required
@require_POST
def change_act(request, pk: int, verb: str):
    user = request.user
    change = selectors.content_change_get(user=user, pk=pk)
    comment = request.POST.get("comment", "")
    try:
        if verb == "approve":
            change = changes.content_change_approve(actor=user, change=change, comment=comment)
        elif verb == "fast-track":
            change = changes.content_change_approve(
                actor=user, change=change, comment=comment, fast_track=True
            )
        elif verb == "return":
            change = changes.content_change_return(actor=user, change=change, comment=comment)
        elif verb == "withdraw":
            change = changes.content_change_withdraw(actor=user, change=change)
        else:
            raise Http404
    except ValidationError as exc:
        for text in exc.messages:
            flash.error(request, text)
    else:
        flash.success(request, change.get_state_display())
    return redirect("wechat_inbound:change", change.pk)
