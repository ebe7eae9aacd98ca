"""Thin views: parse the request, call a selector or a service, render. No rules live here."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengwei.access.policy import account_for, accounts_for, may
from zhengwei.lib.errors import error_messages
from zhengwei.lib.text import parse_day, parse_moment
from zhengwei.newsroom import diffs, selectors, services
from zhengwei.newsroom import policy as P
from zhengwei.newsroom.chain import chain_for
from zhengwei.newsroom.models import (
    Article,
    ArticleState,
    ChainMode,
    ChainStep,
    Comment,
    Emergency,
    EmergencyKind,
    Finding,
    LiveEntry,
    LiveEntryState,
    LiveEvent,
    NewsImage,
    PreviewBinding,
    Push,
    PushMode,
    ResponseLevel,
    ReviewStep,
    StepState,
    Term,
    TermKind,
    Topic,
    TopicState,
)
from zhengwei.newsroom.services.publishing import mass_sends_on
from zhengwei.newsroom.workflow import EDITABLE
from zhengwei.orgs.models import Role, User, WeChatAccount
from zhengwei.wechat.outbound.errors import WeChatError
from zhengwei.wechat.outbound.policy import MENU_MANAGE as WECHAT_MENU_MANAGE

log = logging.getLogger("zhengwei.newsroom")


# --- helpers ---------------------------------------------------------------------------------
def _account(request, action: str = P.VIEW) -> WeChatAccount:
    wanted = request.GET.get("account") or request.POST.get("account")
    return account_for(request.user, action, wanted)


def _article(request, pk: int) -> Article:
    article = get_object_or_404(
        Article.objects.select_related("account", "revision", "column", "push"), pk=pk
    )
    if not may(request.user, P.VIEW, article):
        raise Http404
    return article


def _fail(request, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


def _writers(account: WeChatAccount) -> list[User]:
    users = User.objects.filter(grants__account=account, is_active=True).distinct()
    return [u for u in users if may(u, P.ARTICLE_WRITE, account)]


# --- home ------------------------------------------------------------------------------------
@login_required
def home(request):
    account = _account(request)
    state = request.GET.get("state", "")
    if state and state not in ArticleState.values:
        state = ""
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.VIEW),
        "waiting": selectors.steps_waiting_for(request.user, account),
        "assignments": account.assignments.filter(owner=request.user, done_at__isnull=True)
        .select_related("topic")
        .order_by("deadline")[:20],
        "returned": Article.objects.filter(
            account=account, state=ArticleState.RETURNED, revision__created_by=request.user
        ),
        "articles": selectors.articles(account=account, state=state)[:100],
        "states": ArticleState.choices,
        "state": state,
        "may_write": may(request.user, P.ARTICLE_WRITE, account),
    }
    return render(request, "newsroom/home.html", context)


# --- articles --------------------------------------------------------------------------------
@login_required
def article_new(request):
    account = _account(request, P.ARTICLE_WRITE)
    assignment = None
    if request.GET.get("assignment"):
        assignment = get_object_or_404(
            account.assignments.select_related("topic"), pk=request.GET["assignment"]
        )
    if request.method == "POST":
        column = account.columns.filter(pk=request.POST.get("column") or 0).first()
        if request.POST.get("assignment"):
            assignment = account.assignments.filter(pk=request.POST["assignment"]).first()
        body = ""
        if request.POST.get("template") == "typhoon":
            current = Emergency.objects.filter(account=account, ended_at__isnull=True).first()
            body = typhoon_template(current)
        try:
            article = services.article_create(
                actor=request.user,
                account=account,
                title=request.POST.get("title", ""),
                body_html=body,
                column=column,
                assignment=assignment,
                author=request.POST.get("author", ""),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            return redirect("newsroom:article", pk=article.pk)
    context = {
        "account": account,
        "columns": account.columns.filter(is_active=True),
        "assignment": assignment,
        "template": request.GET.get("template", ""),
    }
    return render(request, "newsroom/article_new.html", context)


def typhoon_template(emergency) -> str:
    """The live typhoon article offered in an emergency: the sections editors fill in."""
    name = emergency.name if emergency else "台风"
    level = f"{emergency.get_level_display()}应急响应" if emergency else "应急响应"
    return (
        f"<p><strong>【{name}最新动态】</strong>截至　月　日　时，{name}中心位于……，"
        f"我省已启动防台风{level}。</p>"
        "<p><strong>【风雨实况】</strong>过去24小时……</p>"
        "<p><strong>【转移安置】</strong>全省已转移……人。</p>"
        "<p><strong>【防御提示】</strong>请远离危险区域，听从转移安排；遇险请拨打当地防汛值班电话，"
        "或点公众号菜单「我报灾情」上报。</p>"
    )


@login_required
def article(request, pk: int):
    article = _article(request, pk)
    user = request.user
    may_write = may(user, P.ARTICLE_WRITE, article)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        changes = {
            "title": request.POST.get("title", ""),
            "author": request.POST.get("author", ""),
            "digest": request.POST.get("digest", ""),
            "body_html": request.POST.get("body_html", ""),
            "is_original": request.POST.get("is_original") == "on",
            "source_url": request.POST.get("source_url", ""),
            "column": article.account.columns.filter(pk=request.POST.get("column") or 0).first(),
        }
        cover_id = request.POST.get("cover")
        if cover_id:
            changes["cover"] = NewsImage.objects.filter(
                account=article.account, pk=cover_id
            ).first()
        try:
            services.article_save(actor=user, article=article, **changes)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Saved as a new revision."))
            if request.POST.get("then") == "submit":
                return _act(request, article, "submit")
        return redirect("newsroom:article", pk=article.pk)
    text, placed, unplaced = selectors.marked_text(article)
    pending = article.steps.filter(state=StepState.PENDING).select_related("revision").first()
    revisions = list(article.revisions.order_by("-number").select_related("created_by"))
    context = {
        "article": article,
        "account": article.account,
        "may_write": may_write,
        "editable": may_write and article.state in EDITABLE,
        "may_submit": may_write and article.state in (ArticleState.DRAFT, ArticleState.RETURNED),
        "may_review": may(user, P.REVIEW, article),
        "may_decide": pending is not None and P.may_decide_step(user, pending),
        "may_decide_findings": may(user, P.FINDING_DECIDE, article),
        "pending": pending,
        "steps": article.steps.select_related("actor", "revision").order_by("round", "order"),
        "marked": text,
        "placed": placed,
        "unplaced": unplaced,
        "comments": article.comments.select_related("author", "revision"),
        "revisions": revisions,
        "columns": article.account.columns.filter(is_active=True),
        "covers": NewsImage.objects.filter(account=article.account)
        .exclude(media_id="")
        .order_by("-uploaded_at")[:12],
        "blocking": Finding.objects.filter(revision_id=article.revision_id, serious=True)
        .exclude(state="dismissed")
        .count(),
        "may_preview": may(user, P.PREVIEW, article),
        "preview_bound": PreviewBinding.objects.filter(user=user, account=article.account)
        .exclude(openid="")
        .exists(),
    }
    return render(request, "newsroom/article.html", context)


def _act(request, article: Article, verb: str):
    user, post = request.user, request.POST
    try:
        if verb == "submit":
            services.article_submit(actor=user, article=article, note=post.get("note", ""))
            messages.success(request, _("Sent for review."))
        elif verb in ("approve", "return"):
            step = get_object_or_404(ReviewStep, pk=post.get("step"), article=article)
            if verb == "approve":
                services.review_approve(actor=user, step=step, comment=post.get("comment", ""))
                messages.success(request, _("Approved."))
            else:
                services.review_return(actor=user, step=step, reason=post.get("comment", ""))
                messages.success(request, _("Returned to the writer."))
        elif verb == "comment":
            offset = post.get("offset")
            services.comment_add(
                actor=user,
                article=article,
                body=post.get("body", ""),
                quote=post.get("quote", ""),
                offset=int(offset) if offset and offset.isdigit() else None,
            )
        elif verb == "resolve":
            comment = get_object_or_404(Comment, pk=post.get("comment"), article=article)
            services.comment_resolve(actor=user, comment=comment)
        elif verb in ("confirm", "dismiss"):
            finding = get_object_or_404(Finding, pk=post.get("finding"), article=article)
            services.finding_decide(actor=user, finding=finding, confirmed=verb == "confirm")
        elif verb == "preview":
            services.article_preview(actor=user, article=article)
            messages.success(request, _("Sent to your WeChat: open it on your phone."))
        else:
            raise Http404
    except ValidationError as exc:
        _fail(request, exc)
    except WeChatError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("newsroom:article", args=[article.pk]) + "#review")


@login_required
def preview_wechat(request):
    """My preview WeChat: bind one's own WeChat on an account (a code sent from it)."""
    account = _account(request, P.PREVIEW)
    if request.method == "POST":
        try:
            if request.POST.get("verb") == "unbind":
                services.preview_unbind(actor=request.user, account=account)
            else:
                services.preview_code_issue(actor=request.user, account=account)
        except ValidationError as exc:
            _fail(request, exc)
        return redirect(reverse("newsroom:preview_wechat") + f"?account={account.pk}")
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.PREVIEW),
        "binding": PreviewBinding.objects.filter(user=request.user, account=account).first(),
        "now": timezone.now(),
    }
    return render(request, "newsroom/preview_wechat.html", context)


@login_required
@require_POST
def article_act(request, pk: int, verb: str):
    return _act(request, _article(request, pk), verb)


@login_required
def article_diff(request, pk: int):
    article = _article(request, pk)
    revisions = {r.number: r for r in article.revisions.all()}
    if not revisions:
        raise Http404
    newest = max(revisions)
    try:
        b = int(request.GET.get("b") or newest)
        a = int(request.GET.get("a") or max(1, b - 1))
    except ValueError as exc:
        raise Http404 from exc
    if a not in revisions or b not in revisions:
        raise Http404
    context = {
        "article": article,
        "account": article.account,
        "a": revisions[a],
        "b": revisions[b],
        "numbers": sorted(revisions),
        "fields": diffs.revision_diff(revisions[a], revisions[b]),
    }
    return render(request, "newsroom/diff.html", context)


@login_required
@require_POST
def image_upload(request):
    """The editor's upload endpoint (wangEditor's answer format: errno 0 and data.url)."""
    account = _account(request, P.ARTICLE_WRITE)
    upload = request.FILES.get("image") or request.FILES.get("file")
    if upload is None:
        return JsonResponse({"errno": 1, "message": _("Choose an image.")}, status=400)
    try:
        image = services.image_upload(
            actor=request.user,
            account=account,
            data=upload.read(),
            cover=request.POST.get("cover") == "1",
        )
    except ValidationError as exc:
        return JsonResponse({"errno": 1, "message": " ".join(error_messages(exc))}, status=400)
    except WeChatError as exc:
        log.warning("image upload refused by WeChat: %s", exc)
        return JsonResponse({"errno": 1, "message": str(exc)}, status=502)
    return JsonResponse({"errno": 0, "data": {"url": image.wechat_url, "alt": "", "id": image.pk}})


# --- topics and directions -------------------------------------------------------------------
@login_required
def topics(request):
    account = _account(request)
    user = request.user
    if request.method == "POST":
        column = account.columns.filter(pk=request.POST.get("column") or 0).first()
        try:
            if request.POST.get("kind") == "direction":
                services.direction_issue(
                    actor=user,
                    account=account,
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                    material=request.POST.get("material", ""),
                    column=column,
                    due_at=parse_moment(request.POST.get("due_at")),
                )
                messages.success(request, _("Direction sent to the contractor."))
            else:
                direction = account.directions.filter(pk=request.POST.get("direction") or 0).first()
                services.topic_propose(
                    actor=user,
                    account=account,
                    title=request.POST.get("title", ""),
                    angle=request.POST.get("angle", ""),
                    material=request.POST.get("material", ""),
                    column=column,
                    direction=direction,
                    planned_for=parse_day(request.POST.get("planned_for") or ""),
                    due_at=parse_moment(request.POST.get("due_at")),
                )
                messages.success(request, _("Topic proposed."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect(reverse("newsroom:topics") + f"?account={account.pk}")
    context = {
        "account": account,
        "accounts": accounts_for(user, P.VIEW),
        "topics": account.topics.select_related(
            "column", "proposed_by", "decided_by", "direction", "assignment__owner"
        ).order_by("-proposed_at")[:100],
        "directions": account.directions.select_related("issued_by", "column")[:30],
        "columns": account.columns.filter(is_active=True),
        "writers": _writers(account),
        "may_propose": may(user, P.TOPIC_PROPOSE, account),
        "may_decide": may(user, P.TOPIC_DECIDE, account),
        "may_direct": may(user, P.DIRECTION_ISSUE, account),
        "proposed": TopicState.PROPOSED,
    }
    return render(request, "newsroom/topics.html", context)


@login_required
@require_POST
def topic_act(request, pk: int, verb: str):
    topic = get_object_or_404(Topic.objects.select_related("account"), pk=pk)
    if not may(request.user, P.VIEW, topic):
        raise Http404
    post = request.POST
    try:
        if verb == "accept":
            owner = get_object_or_404(User, pk=post.get("owner"))
            services.topic_accept(
                actor=request.user,
                topic=topic,
                owner=owner,
                deadline=parse_moment(post.get("due_at")),
            )
            messages.success(
                request, _("Accepted: the assignment is with %(who)s.") % {"who": owner}
            )
        elif verb == "decline":
            services.topic_decline(actor=request.user, topic=topic, reason=post.get("reason", ""))
        elif verb == "update":
            services.topic_update(
                actor=request.user,
                topic=topic,
                planned_for=parse_day(post.get("planned_for") or ""),
                due_at=parse_moment(post.get("due_at")),
            )
            messages.success(request, _("Dates changed."))
        else:
            raise Http404
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("newsroom:topics") + f"?account={topic.account_id}")


# --- word lists ------------------------------------------------------------------------------
@login_required
def words(request):
    account = _account(request, P.WORDS_MANAGE)
    if request.method == "POST":
        try:
            added = services.terms_add(
                actor=request.user,
                account=account,
                kind=request.POST.get("kind", ""),
                lines=request.POST.get("lines", ""),
            )
            messages.success(request, _("%(n)d entries saved.") % {"n": len(added)})
        except ValidationError as exc:
            _fail(request, exc)
        return redirect(reverse("newsroom:words") + f"?account={account.pk}")
    kind = request.GET.get("kind") or TermKind.BANNED
    if kind not in TermKind.values:
        kind = TermKind.BANNED
    terms = Term.objects.filter(account=account, kind=kind)
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.WORDS_MANAGE),
        "kinds": TermKind.choices,
        "kind": kind,
        "kind_label": TermKind(kind).label,
        "terms": terms[:500],
        "count": terms.count(),
    }
    return render(request, "newsroom/words.html", context)


@login_required
@require_POST
def word_delete(request, pk: int):
    term = get_object_or_404(Term.objects.select_related("account"), pk=pk)
    try:
        services.term_delete(actor=request.user, term=term)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("newsroom:words") + f"?account={term.account_id}&kind={term.kind}")


# --- pushes and the planning calendar --------------------------------------------------------
@login_required
def calendar(request):
    account = _account(request)
    view = "month" if request.GET.get("view") == "month" else "week"
    day = parse_day(request.GET.get("date") or "") or timezone.localdate()
    if request.method == "POST":
        try:
            push = services.push_plan(
                actor=request.user,
                account=account,
                title=request.POST.get("title", ""),
                planned_for=parse_day(request.POST.get("planned_for") or "") or day,
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            return redirect("newsroom:push", pk=push.pk)
        return redirect(reverse("newsroom:calendar") + f"?account={account.pk}")
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.VIEW),
        "view": view,
        **selectors.calendar(account=account, day=day, view=view),
        "may_plan": may(request.user, P.PUSH_MANAGE, account),
    }
    return render(request, "newsroom/calendar.html", context)


@login_required
def push(request, pk: int):
    push = get_object_or_404(Push.objects.select_related("account"), pk=pk)
    if not may(request.user, P.VIEW, push):
        raise Http404
    day = timezone.localdate(push.publish_at) if push.publish_at else push.planned_for
    candidates = Article.objects.filter(account=push.account, push__isnull=True).exclude(
        state__in=[ArticleState.PUBLISHED, ArticleState.WITHDRAWN]
    )
    try:
        services.gate(push)
        gate_problem = ""
    except services.GateRefused as exc:
        gate_problem = str(exc)
    context = {
        "push": push,
        "account": push.account,
        "articles": push.articles.select_related("revision", "approved_revision", "cover").order_by(
            "position", "pk"
        ),
        "candidates": candidates.order_by("-created_at")[:50],
        "gate_problem": gate_problem,
        "mass_sends_that_day": mass_sends_on(push.account, day),
        "subscription": push.account.is_subscription,
        "may_manage": may(request.user, P.PUSH_MANAGE, push),
        "may_withdraw": may(request.user, P.PUSH_WITHDRAW, push),
        "modes": PushMode.choices,
        "default_time": (push.publish_at or timezone.now()).astimezone(get_current_timezone()),
    }
    return render(request, "newsroom/push.html", context)


@login_required
@require_POST
def push_act(request, pk: int, verb: str):
    push = get_object_or_404(Push.objects.select_related("account"), pk=pk)
    if not may(request.user, P.VIEW, push):
        raise Http404
    user, post = request.user, request.POST
    try:
        if verb == "articles":
            ids = [int(i) for i in post.getlist("article") if i.isdigit()]
            chosen = {a.pk: a for a in Article.objects.filter(account=push.account, pk__in=ids)}
            services.push_set_articles(
                actor=user, push=push, articles=[chosen[i] for i in ids if i in chosen]
            )
        elif verb in ("schedule", "publish_now"):
            when = timezone.now() if verb == "publish_now" else parse_moment(post.get("publish_at"))
            if when is None:
                raise ValidationError(_("Choose the publishing time."))
            services.push_schedule(
                actor=user, push=push, publish_at=when, mode=post.get("mode", PushMode.PUBLISH)
            )
            if verb == "publish_now":
                services.push_publish_run(push=push, actor=user)
            messages.success(request, _("Scheduled."))
        elif verb == "unschedule":
            services.push_unschedule(actor=user, push=push)
        elif verb == "retry":
            services.push_retry(actor=user, push=push)
        elif verb == "withdraw":
            services.push_withdraw(actor=user, push=push, reason=post.get("reason", ""))
        else:
            raise Http404
    except ValidationError as exc:
        _fail(request, exc)
    except WeChatError as exc:
        messages.error(request, str(exc))
    return redirect("newsroom:push", pk=push.pk)


# --- emergency mode and live coverage --------------------------------------------------------
@login_required
def emergency(request):
    account = _account(request)
    user, post = request.user, request.POST
    current = Emergency.objects.filter(account=account, ended_at__isnull=True).first()
    if request.method == "POST":
        verb = post.get("verb", "")
        try:
            if verb == "declare":
                services.emergency_declare(
                    actor=user,
                    account=account,
                    kind=post.get("kind", ""),
                    name=post.get("name", ""),
                    level=post.get("level", ""),
                    started_at=parse_moment(post.get("started_at")),
                    per_week=int(post.get("per_week") or 7),
                )
                messages.success(request, _("Emergency declared: reviews take the fast track."))
            elif current is None:
                raise ValidationError(_("No emergency is running."))
            elif verb in ("switch_on", "switch_off"):
                services.emergency_switch(actor=user, emergency=current, on=verb == "switch_on")
                messages.success(request, _("Menu and auto-replies switched."))
            elif verb == "end":
                services.emergency_end(actor=user, emergency=current)
                messages.success(request, _("Emergency ended: the normal chain applies again."))
            elif verb == "roster":
                reporter = get_object_or_404(User, pk=post.get("user"))
                services.roster_add(
                    actor=user,
                    emergency=current,
                    user=reporter,
                    place=post.get("place", ""),
                    starts_at=parse_moment(post.get("starts_at")),
                    ends_at=parse_moment(post.get("ends_at")),
                )
            else:
                raise Http404
        except ValidationError as exc:
            _fail(request, exc)
        except (PermissionDenied, WeChatError) as exc:
            messages.error(request, str(exc) or _("You do not have permission for this action."))
        return redirect(reverse("newsroom:emergency") + f"?account={account.pk}")
    context = {
        "account": account,
        "accounts": accounts_for(user, P.VIEW),
        "current": current,
        "live": services.emergency_live_event(current) if current else None,
        "past": Emergency.objects.filter(account=account, ended_at__isnull=False)[:10],
        "kinds": EmergencyKind.choices,
        "levels": ResponseLevel.choices,
        "reporters": _writers(account),
        "may_declare": may(user, P.EMERGENCY_DECLARE, account),
        "may_switch": may(user, WECHAT_MENU_MANAGE, account),
    }
    return render(request, "newsroom/emergency.html", context)


@login_required
def live_list(request):
    account = _account(request)
    if request.method == "POST":
        try:
            event = services.live_event_open(
                actor=request.user,
                account=account,
                title=request.POST.get("title", ""),
                slug=request.POST.get("slug", ""),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            return redirect("newsroom:live_desk", pk=event.pk)
        return redirect(reverse("newsroom:live_list") + f"?account={account.pk}")
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.VIEW),
        "events": LiveEvent.objects.filter(account=account),
        "may_open": may(request.user, P.LIVE_CHECK, account),
    }
    return render(request, "newsroom/live_list.html", context)


@login_required
def live_desk(request, pk: int):
    event = get_object_or_404(LiveEvent.objects.select_related("account"), pk=pk)
    if not may(request.user, P.VIEW, event.account):
        raise Http404
    user, post = request.user, request.POST
    if request.method == "POST":
        try:
            if post.get("verb") in ("approve", "reject"):
                entry = get_object_or_404(LiveEntry, pk=post.get("entry"), event=event)
                services.live_entry_check(
                    actor=user, entry=entry, approve=post.get("verb") == "approve"
                )
            else:
                photo = request.FILES.get("photo")
                services.live_entry_post(
                    actor=user,
                    event=event,
                    body=post.get("body", ""),
                    photo=photo.read() if photo else None,
                )
                messages.success(request, _("Posted: it appears once the office has checked it."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("newsroom:live_desk", pk=event.pk)
    context = {
        "event": event,
        "account": event.account,
        "public_url": services.live_url(event),
        "pending": event.entries.filter(state=LiveEntryState.PENDING).select_related("posted_by"),
        "entries": event.entries.exclude(state=LiveEntryState.PENDING).select_related(
            "posted_by", "checked_by"
        )[:100],
        "may_post": may(user, P.LIVE_POST, event.account),
        "may_check": may(user, P.LIVE_CHECK, event.account),
    }
    return render(request, "newsroom/live_desk.html", context)


# --- metrics ---------------------------------------------------------------------------------
@login_required
def metrics(request):
    account = _account(request, P.METRICS_VIEW)
    end = parse_day(request.GET.get("end") or "") or timezone.localdate() + timedelta(days=1)
    start = parse_day(request.GET.get("start") or "") or end - timedelta(days=35)
    figures = selectors.newsroom_metrics(account=account, start=start, end=end)
    figures.pop("sources")
    series = selectors.metrics_series(account=account, start=start, end=end)
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.METRICS_VIEW),
        "start": start,
        "end": end,
        "figures": figures,
        "series": series,
        "chart_data": {k: v for k, v in series.items() if k != "returns"},
    }
    return render(request, "newsroom/metrics.html", context)


# --- the review chain ------------------------------------------------------------------------
@login_required
def chain(request):
    account = _account(request, P.CHAIN_MANAGE)
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        levels = []
        for n in range(1, 6):
            name = request.POST.get(f"name_{n}", "").strip()
            if name:
                levels.append(
                    {
                        "name": name,
                        "role": request.POST.get(f"role_{n}", ""),
                        "time_limit_minutes": request.POST.get(f"limit_{n}") or 0,
                        "escalate_to": request.POST.get(f"escalate_{n}", ""),
                    }
                )
        try:
            services.chain_save(actor=request.user, account=account, mode=mode, levels=levels)
            messages.success(request, _("Review chain saved."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect(reverse("newsroom:chain") + f"?account={account.pk}")
    modes = []
    for mode, label in ChainMode.choices:
        levels = chain_for(account, mode)
        configured = ChainStep.objects.filter(account=account, mode=mode).exists()
        rows = [*levels, *[None] * (5 - len(levels))]
        modes.append({"mode": mode, "label": label, "rows": rows, "configured": configured})
    context = {
        "account": account,
        "accounts": accounts_for(request.user, P.CHAIN_MANAGE),
        "modes": modes,
        "roles": Role.choices,
    }
    return render(request, "newsroom/chain.html", context)
