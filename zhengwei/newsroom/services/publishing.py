"""Publishing: schedule an approved push, send it to WeChat at its time, record the outcome.

**Nothing unapproved, or edited after approval, reaches WeChat.** Every path (the page, the
scheduler's ``newsroom_tick``, a retry, the command line) goes through ``push_publish_run``,
which checks ``gate`` immediately before each WeChat call: every article approved, its current
revision the approved one, its stored text identical to that revision (hash), and what is sent
built from the approved revision itself.

**Never sent twice.** A push carries one key (sent as ``clientmsgid``: WeChat refuses a second
mass send with it, 45065), and the ids WeChat returns are stored the moment they arrive
(draft media_id, publish_id, msg_id), each in its own transaction; a retry resumes after the
last stored step. A publish submit that may have reached WeChat without an answer is not
repeated while the draft has left the draft box (WeChat consumed it); it stays visible as
"uncertain" for a person to check.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhengwei.audit.services import audit_record
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.newsroom import policy as P
from zhengwei.newsroom import workflow
from zhengwei.newsroom.models import (
    MAX_ARTICLES_PER_PUSH,
    Article,
    ArticleState,
    Assignment,
    Push,
    PushMode,
    PushState,
)
from zhengwei.newsroom.services.common import audit, refuse, require, user_of
from zhengwei.notify.services import notification_send
from zhengwei.orgs.models import Role, RoleGrant, User
from zhengwei.wechat.outbound.client import WeChatClient
from zhengwei.wechat.outbound.errors import DuplicateMassSend, WeChatError, WeChatNetworkError
from zhengwei.wechat.outbound.services import comment_thread_watch

log = logging.getLogger("zhengwei.newsroom")
LEASE = timedelta(minutes=5)
PUBLISH_STATUS = {
    0: pgettext_lazy("state", "published"),
    1: gettext_lazy("publishing"),
    2: gettext_lazy("refused by WeChat's original-content check"),
    3: gettext_lazy("failed"),
    4: gettext_lazy("refused by WeChat's platform review"),
    5: gettext_lazy("withdrawn (deleted) after success"),
    6: gettext_lazy("banned after success"),
}

# MASSSENDJOBFINISH ``Status`` "err(NNNNN)": the reasons WeChat's mass-send documentation gives
# (事件推送群发结果).
MASS_ERRORS = {
    10001: gettext_lazy("suspected advertising"),
    20001: gettext_lazy("suspected political content"),
    20002: gettext_lazy("suspected pornography"),
    20004: gettext_lazy("suspected social content"),
    20006: gettext_lazy("suspected illegal or criminal content"),
    20008: gettext_lazy("suspected fraud"),
    20013: gettext_lazy("suspected copyright infringement"),
    21000: gettext_lazy("suspected of other violations"),
    22000: gettext_lazy("suspected mutual promotion"),
    30001: gettext_lazy(
        "the originality check failed with a system error and the push was set not to go out "
        "as a reprint"
    ),
    30002: gettext_lazy("the originality check ruled that it may not be mass-sent"),
    30003: gettext_lazy(
        "the originality check judged it a reprint and the push was set not to go out as one"
    ),
    40001: gettext_lazy("an administrator of the account refused it"),
    40002: gettext_lazy("no administrator confirmed it within 30 minutes"),
}
MASS_OK = {"send success", "sendsuccess"}
# Who hears that a push failed: the office's reviewers and leader, and the contractor's editor.
FAILURE_ROLES = {Role.EDITOR, Role.OFFICE_REVIEWER, Role.OFFICE_LEADER}


class GateRefused(Exception):
    pass


def gate(push: Push) -> list[Article]:
    """The articles of ``push`` as they may go out, or GateRefused naming what is wrong."""
    articles = list(
        push.articles.select_related("approved_revision", "cover", "revision").order_by(
            "position", "pk"
        )
    )
    if not articles:
        raise GateRefused(_("The push has no articles."))
    if len(articles) > MAX_ARTICLES_PER_PUSH:
        raise GateRefused(_("A push holds at most %(n)d articles.") % {"n": MAX_ARTICLES_PER_PUSH})
    for article in articles:
        approved = article.approved_revision
        if (
            article.account_id != push.account_id
            or article.state != ArticleState.APPROVED
            or approved is None
            or article.revision_id != approved.pk
            or approved.hash != article.content_hash()
        ):
            raise GateRefused(
                _("“%(title)s” is not approved as it stands: it needs (re-)approval.")
                % {"title": article.title}
            )
        if article.cover is None or not article.cover.media_id:
            raise GateRefused(_("“%(title)s” has no cover.") % {"title": article.title})
    return articles


def wechat_article(revision, thumb_media_id: str) -> dict:
    """One article as draft/add receives it, built from a revision (never the live fields)."""
    return {
        "article_type": "news",
        "title": revision.title,
        "author": revision.author,
        "digest": revision.digest,
        "content": revision.body_html,
        "content_source_url": "" if revision.is_original else revision.source_url,
        "thumb_media_id": thumb_media_id,
        "need_open_comment": 1,
        "only_fans_can_comment": 0,
    }


def wechat_articles(articles: list[Article]) -> list[dict]:
    """What draft/add receives: built from each approved revision, not the live fields."""
    return [wechat_article(a.approved_revision, a.cover.media_id) for a in articles]


def mass_sends_on(account, day) -> int:
    """Pushes mass-sent or scheduled for mass sending on ``day`` (a subscription account may
    mass-send once a day)."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = start + timedelta(days=1)
    return (
        Push.objects.filter(
            account=account,
            mode=PushMode.MASS_SEND,
            state__in=[PushState.SCHEDULED, PushState.PUBLISHING, PushState.PUBLISHED],
        )
        .filter(
            Q(published_at__gte=start, published_at__lt=end)
            | Q(published_at__isnull=True, publish_at__gte=start, publish_at__lt=end)
        )
        .count()
    )


def push_schedule(*, actor: User, push: Push, publish_at: datetime, mode: str) -> Push:
    require(actor, P.PUSH_MANAGE, push)
    if mode not in PushMode.values:
        raise refuse(_("Unknown publishing mode."))
    with transaction.atomic():
        lock(push)
        try:
            gate(push)
        except GateRefused as exc:
            raise refuse(str(exc)) from None
        if mode == PushMode.MASS_SEND and push.account.is_subscription:
            day = timezone.localdate(publish_at)
            others = mass_sends_on(push.account, day) - (
                1 if push.mode == PushMode.MASS_SEND and push.state == PushState.SCHEDULED else 0
            )
            if others >= 1:
                raise refuse(
                    _(
                        "A subscription account mass-sends once a day: %(day)s is taken. "
                        "Publish without notification, or choose another day."
                    )
                    % {"day": day}
                )
        workflow.move(push, PushState.SCHEDULED, PushState)
        push.publish_at, push.mode, push.scheduled_by = publish_at, mode, actor
        push.error = ""
        push.save(update_fields=["state", "publish_at", "mode", "scheduled_by", "error"])
        audit(actor, "newsroom.push.schedule", push, fields=["state", "publish_at", "mode"])
    return push


def push_unschedule(*, actor: User, push: Push) -> Push:
    require(actor, P.PUSH_MANAGE, push)
    with transaction.atomic():
        lock(push)
        workflow.move(push, PushState.PLANNED, PushState)
        push.save(update_fields=["state"])
        audit(actor, "newsroom.push.unschedule", push)
    return push


def _claim(push: Push, now: datetime) -> bool:
    """Take the push for one run (one process at a time; a crashed run's lease expires)."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ready = Q(state=PushState.SCHEDULED, publish_at__lte=now) | Q(state=PushState.FAILED)
    resumable = Q(state=PushState.PUBLISHING, publish_id="", msg_id="")
    claimed = (
        Push.objects.filter(pk=push.pk)
        .filter(free)
        .filter(ready | resumable)
        .update(state=PushState.PUBLISHING, lease_until=now + LEASE)
    )
    return bool(claimed)


def _store(push: Push, **fields) -> None:
    """Keep what WeChat answered at once, in its own transaction (before anything else)."""
    Push.objects.filter(pk=push.pk).update(**fields)
    for name, value in fields.items():
        setattr(push, name, value)


def _fail(push: Push, actor, message: str) -> Push:
    with transaction.atomic():
        _store(push, state=PushState.FAILED, error=message[:2000], lease_until=None)
        audit_record(
            actor=user_of(actor),
            actor_name="" if user_of(actor) else "system",
            action="newsroom.push.failed",
            obj=push,
            outcome="error",
            note=message[:500],
        )
        if user_of(actor) is None:  # a person who pressed the button sees the reason already
            _tell_failure(push, message)
        publish_on_commit("push.failed", push_id=push.pk, account_id=push.account_id)
    return push


def _tell_failure(push: Push, message: str) -> None:
    """The people who scheduled and wrote the push, the contractor's editors and the office's
    reviewers and leader hear of it at once (a failed push during a typhoon matters)."""
    people = set(
        RoleGrant.objects.filter(
            account_id=push.account_id, role__in=FAILURE_ROLES, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    people |= {pk for pk in (push.created_by_id, push.scheduled_by_id) if pk}
    people |= {pk for pk in push.articles.values_list("created_by_id", flat=True) if pk}
    notification_send(
        recipients=sorted(people),
        kind="newsroom.push_failed",
        title=_("Push “%(title)s” failed") % {"title": push.title},
        body=message,
        url=reverse("newsroom:push", args=[push.pk]),
        urgent=True,
        account=push.account,
    )


def _draft_gone(client: WeChatClient, media_id: str) -> bool:
    """The draft has left the draft box: WeChat took it (published or mass-sent)."""
    try:
        client.draft_get(media_id)
    except WeChatNetworkError:
        raise
    except WeChatError:
        return True
    return False


def push_publish_run(*, push: Push, actor: User | None = None, now=None) -> Push:
    """Send a scheduled (due) or failed push to WeChat, resuming after the last step WeChat
    confirmed. Safe to call from any number of processes, and again after any failure."""
    now = now or timezone.now()
    if not _claim(push, now):
        push.refresh_from_db()
        return push
    push.refresh_from_db()
    with transaction.atomic():
        Push.objects.filter(pk=push.pk).update(attempts=push.attempts + 1)
    try:
        articles = gate(push)
    except GateRefused as exc:
        return _fail(push, actor, str(exc))
    client = WeChatClient(push.account)
    try:
        if not push.draft_media_id:
            media_id = client.draft_add(wechat_articles(articles))
            _store(push, draft_media_id=media_id)
        gate(push)  # again, right before the irreversible call
        if push.mode == PushMode.PUBLISH:
            if push.attempts and push.error and _draft_gone(client, push.draft_media_id):
                return _fail(
                    push,
                    actor,
                    _(
                        "Uncertain: WeChat took the draft but gave no publish id. Check the "
                        "account's published list before doing anything else."
                    ),
                )
            result = client.publish_submit(push.draft_media_id)
            _store(
                push,
                publish_id=str(result.get("publish_id", "")),
                msg_data_id=str(result.get("msg_data_id", "") or ""),
                submitted_at=now,
            )
            with transaction.atomic():
                _store(push, error="", lease_until=None)
                audit(actor or "system", "newsroom.push.submit", push, note=push.publish_id)
        else:
            try:
                result = client.mass_sendall(
                    "mpnews",
                    {"media_id": push.draft_media_id},
                    send_ignore_reprint=True,
                    clientmsgid=push.key,
                )
            except DuplicateMassSend as exc:
                result = {"msg_id": getattr(exc, "msg_id", "") or "duplicate"}
            _store(
                push,
                msg_id=str(result.get("msg_id", "")),
                msg_data_id=str(result.get("msg_data_id", "") or ""),
                submitted_at=now,
            )
            _published(push, actor, now, urls={})
    except GateRefused as exc:
        return _fail(push, actor, str(exc))
    except WeChatNetworkError as exc:
        return _fail(push, actor, str(exc))
    except WeChatError as exc:
        return _fail(push, actor, str(exc))
    return push


def _published(push: Push, actor, when: datetime, urls: dict[int, str]) -> None:
    with transaction.atomic():
        lock(push)
        if push.state == PushState.PUBLISHED:
            return
        push.state, push.published_at, push.error, push.lease_until = (
            PushState.PUBLISHED,
            when,
            "",
            None,
        )
        push.save(update_fields=["state", "published_at", "error", "lease_until"])
        for position, article in enumerate(push.articles.order_by("position", "pk")):
            workflow.move(article, ArticleState.PUBLISHED, ArticleState)
            article.published_at = when
            article.url = urls.get(position + 1, article.url)
            article.save(update_fields=["state", "published_at", "url"])
            if article.assignment_id:
                Assignment.objects.filter(pk=article.assignment_id, done_at__isnull=True).update(
                    done_at=when
                )
        audit(actor or "system", "newsroom.push.published", push, fields=["state", "published_at"])
        _watch_comments(push)
        publish_on_commit("push.published", push_id=push.pk, account_id=push.account_id)


def _watch_comments(push: Push) -> None:
    """Readers' comments on every article of the push are polled from now on (WeChat pushes
    no event for them); they reach the 互动 inbox and the comment moderation page."""
    if not str(push.msg_data_id).isdigit():
        return
    for index, article in enumerate(push.articles.order_by("position", "pk")):
        comment_thread_watch(
            actor=None,
            account=push.account,
            msg_data_id=int(push.msg_data_id),
            index=index,
            title=article.title,
        )


def push_finish(
    *, account_id: int, publish_id: str, status: int | None, payload: dict, now=None
) -> Push | None:
    """PUBLISHJOBFINISH (or a poll of freepublish/get): published with its article URLs, or
    failed with WeChat's reason in Chinese."""
    push = Push.objects.filter(account_id=account_id, publish_id=publish_id).first()
    if push is None or push.state == PushState.PUBLISHED:
        return push
    now = now or timezone.now()
    if status == 0:
        detail = payload.get("article_detail") or {}
        items = detail.get("item") or []
        if isinstance(items, dict):
            items = [items]
        urls = {int(i.get("idx", n + 1)): i.get("article_url", "") for n, i in enumerate(items)}
        _store(push, article_id=str(payload.get("article_id", "")))
        _published(push, None, now, urls)
    elif status == 1:
        return push
    else:
        reason = str(PUBLISH_STATUS.get(status, _("failed")))
        titles = _titles_at(push, payload.get("fail_idx"))
        if titles:
            reason = _("%(reason)s (%(titles)s)") % {"reason": reason, "titles": titles}
        _fail(push, None, _("WeChat did not publish it: %(reason)s.") % {"reason": reason})
    return push


def _titles_at(push: Push, positions) -> str:
    """The titles of the articles at WeChat's 1-based ``positions`` (``fail_idx``)."""
    if positions in (None, ""):
        return ""
    if not isinstance(positions, list):
        positions = [positions]
    wanted = {int(p) for p in positions if str(p).strip().isdigit()}
    articles = push.articles.order_by("position", "pk")
    return "、".join(f"“{a.title}”" for n, a in enumerate(articles, 1) if n in wanted)


def mass_failure_reason(status: str) -> str | None:
    """WeChat's ``Status`` of a finished mass send, in the person's language; None: it went out."""
    status = (status or "").strip().lower()
    if status in MASS_OK:
        return None
    match = re.fullmatch(r"err\((\d+)\)", status)
    if match:
        code = int(match.group(1))
        reason = MASS_ERRORS.get(code)
        if reason is None:
            return _("WeChat refused it (error %(code)d).") % {"code": code}
        return _("WeChat refused it: %(reason)s (error %(code)d).") % {
            "reason": reason,
            "code": code,
        }
    return _("WeChat could not send it (%(status)s).") % {"status": status or "?"}


def push_masssend_finish(
    *, account_id: int, msg_id: str, status: str, payload: dict, now=None
) -> Push | None:
    """MASSSENDJOBFINISH: a mass send that went out keeps its article URLs; one WeChat did not
    send (``err(10001)``, ``send fail``…) turns failed with the reason, its articles approved
    again, and a fresh key, so that a retry is a new send rather than a duplicate WeChat would
    refuse (45065). The office and the editors are told."""
    push = (
        Push.objects.filter(account_id=account_id, mode=PushMode.MASS_SEND, msg_id=str(msg_id))
        .exclude(msg_id="")
        .first()
    )
    if push is None:
        return None
    reason = mass_failure_reason(status)
    if reason is None:
        urls = _mass_urls(payload)
        with transaction.atomic():
            for position, article in enumerate(push.articles.order_by("position", "pk"), 1):
                if urls.get(position) and not article.url:
                    Article.objects.filter(pk=article.pk).update(url=urls[position])
        return push
    if push.state not in (PushState.PUBLISHED, PushState.PUBLISHING):
        return push
    with transaction.atomic():
        lock(push)
        workflow.move(push, PushState.FAILED, PushState)
        push.error = reason[:2000]
        push.published_at = push.lease_until = None
        # WeChat consumed the draft and remembers the key: a retry starts from scratch.
        push.key, push.draft_media_id, push.msg_id, push.msg_data_id = uuid.uuid4().hex, "", "", ""
        push.save(
            update_fields=[
                "state",
                "error",
                "published_at",
                "lease_until",
                "key",
                "draft_media_id",
                "msg_id",
                "msg_data_id",
            ]
        )
        for article in push.articles.filter(state=ArticleState.PUBLISHED):
            workflow.move(article, ArticleState.APPROVED, ArticleState)
            article.published_at, article.url = None, ""
            article.save(update_fields=["state", "published_at", "url"])
        audit_record(
            actor_name="system",
            action="newsroom.push.failed",
            obj=push,
            outcome="error",
            note=f"MASSSENDJOBFINISH {msg_id}: {status}"[:500],
        )
        _tell_failure(push, reason)
        publish_on_commit("push.failed", push_id=push.pk, account_id=push.account_id)
    return push


def _mass_urls(payload: dict) -> dict[int, str]:
    result = (payload or {}).get("ArticleUrlResult") or {}
    items = result.get("ResultList") if isinstance(result, dict) else None
    items = items if isinstance(items, list) else [items] if isinstance(items, dict) else []
    return {
        int(i.get("ArticleIdx")): i.get("ArticleUrl", "")
        for i in items
        if isinstance(i, dict) and str(i.get("ArticleIdx", "")).isdigit()
    }


def pushes_poll(*, now=None) -> int:
    """Ask WeChat about submitted publishes that have not reported back (run by newsroom_tick)."""
    now = now or timezone.now()
    waiting = Push.objects.filter(
        state=PushState.PUBLISHING, submitted_at__lt=now - timedelta(seconds=30)
    ).exclude(publish_id="")
    done = 0
    for push in waiting.select_related("account"):
        try:
            result = WeChatClient(push.account).publish_get(push.publish_id)
        except WeChatError as exc:
            log.warning("freepublish/get for push %s: %s", push.pk, exc)
            continue
        push_finish(
            account_id=push.account_id,
            publish_id=push.publish_id,
            status=result.get("publish_status"),
            payload=result,
            now=now,
        )
        done += 1
    return done


def pushes_publish_due(*, now=None) -> list[int]:
    """Send every scheduled push whose time has come (run by newsroom_tick)."""
    now = now or timezone.now()
    due = Push.objects.filter(state=PushState.SCHEDULED, publish_at__lte=now)
    ran = []
    for push in due.select_related("account"):
        push_publish_run(push=push, now=now)
        ran.append(push.pk)
    return ran


def push_retry(*, actor: User, push: Push) -> Push:
    """A person retries a failed push (after reading WeChat's reason)."""
    require(actor, P.PUSH_MANAGE, push)
    if push.state != PushState.FAILED:
        raise refuse(_("Only a failed push can be retried."))
    audit_record(actor=actor, action="newsroom.push.retry", obj=push)
    return push_publish_run(push=push, actor=actor)


def push_withdraw(*, actor: User, push: Push, reason: str) -> Push:
    """删除发表: the published articles disappear from WeChat (irreversible), with a reason."""
    require(actor, P.PUSH_WITHDRAW, push)
    if not (reason or "").strip():
        raise refuse(_("Withdrawing needs a reason."))
    if push.state != PushState.PUBLISHED:
        raise refuse(_("Only a published push can be withdrawn."))
    if push.article_id:
        WeChatClient(push.account).publish_delete(push.article_id)
    with transaction.atomic():
        lock(push)
        workflow.move(push, PushState.WITHDRAWN, PushState)
        push.withdrawn_at, push.withdraw_reason = timezone.now(), reason.strip()
        push.save(update_fields=["state", "withdrawn_at", "withdraw_reason"])
        for article in push.articles.all():
            workflow.move(article, ArticleState.WITHDRAWN, ArticleState)
            article.save(update_fields=["state"])
        audit(actor, "newsroom.push.withdraw", push, note=reason[:200])
    return push
