"""Thin views of the 互动 inbox: parse, call a selector or a service, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhengwei.access.policy import account_for, may
from zhengwei.access.privacy import lens_revealed
from zhengwei.interactions import classify, selectors, services
from zhengwei.interactions import policy as P
from zhengwei.interactions.models import (
    Category,
    Channel,
    Conversation,
    ConversationState,
    ReplyDraft,
    ReplyState,
)
from zhengwei.lib.errors import error_messages
from zhengwei.orgs.models import OrgKind, User
from zhengwei.reports.models import Hazard
from zhengwei.reports.models import State as ReportState
from zhengwei.wechat.outbound import policy as outbound_policy
from zhengwei.wechat.outbound import services as outbound
from zhengwei.wechat.outbound.errors import WeChatError
from zhengwei.wechat.outbound.models import Comment, CommentThread


def _attempt(request, act: Callable[[], HttpResponse | None]) -> HttpResponse | None:
    """Run a console action: its refusals become error messages; when it gives no response of
    its own, it says "Done." (the caller then redirects back)."""
    try:
        response = act()
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("You do not have permission for this action."))
    else:
        if response is None:
            messages.success(request, _("Done."))
        return response
    return None


@login_required
def inbox(request):
    account = account_for(request.user, P.INBOX_VIEW, request.GET.get("account"))
    filters = {
        "state": request.GET.get("state", "open"),
        "category": request.GET.get("category", ""),
        "channel": request.GET.get("channel", ""),
        "mine": request.GET.get("mine", ""),
        "overdue": request.GET.get("overdue", ""),
    }
    qs = selectors.conversation_list(user=request.user, account=account, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    waiting = selectors.waiting_by_conversation(page.object_list)
    for c in page.object_list:
        c.waiting = waiting.get(c.pk, 0)
    rows = [(c, selectors.shown(c.preview), c.overdue()) for c in page.object_list]
    context = {
        "account": account,
        "page": page,
        "rows": rows,
        "filters": filters,
        "categories": Category.choices,
        "channels": Channel.choices,
        "counts": selectors.inbox_counts(user=request.user, account=account),
        "pending": selectors.pending_drafts(user=request.user, account=account)[:20],
        "returned": selectors.my_returned_drafts(user=request.user, account=account),
        "now": timezone.now(),
    }
    if getattr(request, "htmx", False):
        return render(request, "interactions/_rows.html", context)
    return render(request, "interactions/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request, pk: int):
    """The conversation; a POST asks for what the citizen wrote in full (audited, for those who
    may see personal data: everyone else gets 403)."""
    conv = selectors.conversation_get(user=request.user, pk=pk)
    user, account = request.user, conv.account
    office = user.org_kind != OrgKind.CONTRACTOR
    revealed = False
    if request.method == "POST":
        lens_revealed(actor=user, account=account, obj=conv, what=_("inbox conversation"))
        revealed = True
    return render(
        request,
        "interactions/conversation.html",
        {
            "c": conv,
            "account": account,
            "thread": selectors.conversation_thread(
                user=user, conversation=conv, revealed=revealed
            ),
            "revealed": revealed,
            "can_reveal": selectors.sees_personal(user, account),
            "openid": selectors.short_openid(conv.openid, account_id=conv.account_id),
            "overdue": conv.overdue(),
            "categories": Category.choices,
            "hazards": Hazard.choices,
            "people": selectors.assignable_people(account=account, conversation=conv),
            "can_handle": may(user, P.INBOX_HANDLE, conv),
            "can_assign": may(user, P.INBOX_ASSIGN, conv),
            "can_send": office and may(user, P.REPLY_SEND, conv),
            "can_draft": may(user, P.REPLY_DRAFT, conv),
            "can_approve": office and may(user, P.REPLY_APPROVE, conv),
            "can_convert": may(user, P.INBOX_CONVERT, conv),
            "suggested_hazard": _suggested_hazard(conv),
            "open": conv.is_open,
            "States": ConversationState,
        },
    )


def _suggested_hazard(conv) -> str:
    return classify.suggest_hazard(" ".join(i.text for i in conv.items.all()))


@login_required
@require_POST
def conversation_act(request, pk: int, verb: str):
    conv = selectors.conversation_get(user=request.user, pk=pk)
    p, user = request.POST, request.user

    def act() -> HttpResponse | None:
        match verb:
            case "classify":
                services.conversation_classify(
                    actor=user, conversation=conv, category=p.get("category", "")
                )
            case "assign":
                assignee = None
                if p.get("assignee"):
                    assignee = get_object_or_404(User, pk=p["assignee"])
                services.conversation_assign(actor=user, conversation=conv, assignee=assignee)
            case "send":
                draft = services.reply_send(actor=user, conversation=conv, text=p.get("text", ""))
                if draft.state == ReplyState.SENT:
                    messages.success(request, draft.delivery_label)
                    return redirect("interactions:conversation", pk=conv.pk)
            case "draft":
                services.reply_draft_submit(actor=user, conversation=conv, text=p.get("text", ""))
            case "resolve":
                services.conversation_resolve(actor=user, conversation=conv, note=p.get("note", ""))
            case "reopen":
                services.conversation_reopen(actor=user, conversation=conv, note=p.get("note", ""))
            case "convert":
                report = services.conversation_convert(
                    actor=user,
                    conversation=conv,
                    hazard=p.get("hazard", ""),
                    lives_in_danger=bool(p.get("lives_in_danger")),
                    description=p.get("description", ""),
                )
                messages.success(
                    request, _("Report %(ticket)s created.") % {"ticket": report.ticket}
                )
                return redirect("reports:detail", ticket=report.ticket)
            case _:
                raise Http404
        return None

    return _attempt(request, act) or redirect("interactions:conversation", pk=conv.pk)


@login_required
@require_POST
def draft_act(request, pk: int, verb: str):
    draft = get_object_or_404(ReplyDraft.objects.select_related("conversation__account"), pk=pk)
    selectors.conversation_get(user=request.user, pk=draft.conversation_id)
    p, user = request.POST, request.user

    def act() -> None:
        match verb:
            case "approve":
                services.reply_approve(
                    actor=user, draft=draft, comment=p.get("comment", ""), text=p.get("text")
                )
            case "return":
                services.reply_return(actor=user, draft=draft, comment=p.get("comment", ""))
            case "revise":
                services.reply_draft_revise(actor=user, draft=draft, text=p.get("text", ""))
            case "withdraw":
                services.reply_draft_withdraw(actor=user, draft=draft)
            case "retry":
                services.reply_retry(actor=user, draft=draft)
            case _:
                raise Http404

    return _attempt(request, act) or redirect("interactions:conversation", pk=draft.conversation_id)


@login_required
@require_http_methods(["GET", "POST"])
def templates(request):
    account = account_for(
        request.user, P.TEMPLATES_VIEW, request.GET.get("account") or request.POST.get("account")
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        state = request.POST.get("state", "")
        try:
            services.reply_template_save(
                actor=request.user,
                account=account,
                state=state,
                text=request.POST.get("text", ""),
                active=bool(request.POST.get("active")),
            )
        except ValidationError as exc:
            errors[state] = error_messages(exc)
        else:
            messages.success(
                request,
                _("Template for “%(state)s” saved.") % {"state": ReportState(state).label},
            )
            return redirect("interactions:templates")
    return render(
        request,
        "interactions/templates.html",
        {
            "account": account,
            "rows": selectors.reply_templates(user=request.user, account=account),
            "can_edit": may(request.user, P.TEMPLATES_MANAGE, account),
            "errors": errors,
            "placeholders": "{ticket} {hazard} {unit} {deadline} {due} {next_step} {emergency} "
            "{status_url} {note}",
        },
    )


# --- comment moderation ----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def comments(request):
    """Readers' comments on the account's pushes: open or close comments per article, feature
    (精选), delete, reply. A reply from the office goes out at once; a contractor's is a draft
    the office approves in the inbox, as any reply to a citizen."""
    user = request.user
    account = account_for(user, outbound_policy.COMMENT_VIEW, request.GET.get("account"))
    if request.method == "POST":
        _attempt(request, lambda: _comment_act(request, account))
        return redirect(f"{request.path}?account={account.pk}")
    return render(
        request,
        "interactions/comments.html",
        {
            "account": account,
            "threads": selectors.comment_moderation(user=user, account=account),
            "can_manage": may(user, outbound_policy.COMMENT_MANAGE, account),
            "can_reply": may(user, P.REPLY_DRAFT, account),
        },
    )


def _comment_act(request, account) -> None:
    user, post, verb = request.user, request.POST, request.POST.get("verb", "")
    try:
        if verb in ("open", "close"):
            thread = get_object_or_404(CommentThread, account=account, pk=post.get("thread"))
            outbound.comment_thread_set_open(actor=user, thread=thread, is_open=verb == "open")
        elif verb == "refresh":
            if not may(user, outbound_policy.COMMENT_MANAGE, account):
                raise PermissionDenied
            outbound.comments_poll(account=account)
        elif verb in ("elect", "unelect", "delete", "reply"):
            comment = get_object_or_404(Comment, account=account, pk=post.get("comment"))
            if verb == "delete":
                outbound.comment_delete(actor=user, comment=comment)
            elif verb == "reply":
                _comment_reply(request, account, comment, post.get("text", ""))
            else:
                outbound.comment_elect(actor=user, comment=comment, elected=verb == "elect")
        else:
            raise Http404
    except WeChatError as exc:
        raise ValidationError(str(exc)) from exc


def _comment_reply(request, account, comment, text: str) -> None:
    user = request.user
    conversation = Conversation.objects.filter(comment=comment).first()
    if conversation is None:  # not yet in the inbox: file it now
        services.conversation_receive_comments(
            account=account, user_comment_ids=[comment.user_comment_id]
        )
        conversation = Conversation.objects.filter(comment=comment).first()
    if conversation is None or not P.conversation_visible(user, conversation):
        raise Http404
    if P.speaks_for_office(user, conversation, P.REPLY_SEND):
        services.reply_send(actor=user, conversation=conversation, text=text)
    else:
        services.reply_draft_submit(actor=user, conversation=conversation, text=text)
        messages.info(request, _("Your reply waits for the office's approval in the inbox."))
