"""Articles: create, offer (from other apps), save (every save a revision), comments.

An article in review is locked; an edit after approval sends it back to draft, so it needs
re-approval (and leaves any scheduled push, which returns to planned).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.newsroom import policy as P
from zhengwei.newsroom import workflow
from zhengwei.newsroom.models import (
    Article,
    ArticleState,
    Assignment,
    Column,
    Comment,
    NewsImage,
    PushState,
    Revision,
)
from zhengwei.newsroom.sanitize import clean, image_sources, replace_image_sources
from zhengwei.newsroom.services.common import audit, refuse, require, run_checks, user_of
from zhengwei.newsroom.services.media import image_keep, image_to_wechat
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.wechat.outbound.errors import WeChatError

log = logging.getLogger("zhengwei.newsroom")

FIELDS = ["title", "author", "digest", "body_html", "is_original", "source_url", "cover"]
SYSTEM = "system"
AUDIT_FIELDS = ["state", "title", "column", "push", "revision", "approved_revision"]


def _revise(article: Article, actor, note: str = "") -> Revision:
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        title=article.title,
        author=article.author,
        digest=article.digest,
        body_html=article.body_html,
        is_original=article.is_original,
        source_url=article.source_url,
        cover_id=article.cover_id,
        hash=article.content_hash(),
        created_by=user_of(actor),
        note=note[:200],
    )
    article.revision = revision
    article.save(update_fields=["revision"])
    run_checks(article, revision)
    return revision


def _new(
    actor,
    *,
    account: WeChatAccount,
    title: str,
    body_html: str,
    digest: str = "",
    author: str = "",
    column: Column | None = None,
    assignment: Assignment | None = None,
    is_original: bool = True,
    source_url: str = "",
    source: str = "",
    note: str = "",
) -> Article:
    if not (title or "").strip():
        raise refuse(_("An article needs a title."))
    if column is not None and column.account_id != account.pk:
        raise refuse(_("That column belongs to another account."))
    article = Article.objects.create(
        account=account,
        column=column,
        assignment=assignment,
        title=title.strip()[:64],
        author=(author or "").strip()[:32],
        digest=(digest or "").strip()[:256],
        body_html=clean(body_html),
        is_original=is_original,
        source_url=source_url,
        source=source[:60],
        created_by=user_of(actor),
    )
    _revise(article, actor, note)
    return article


def article_create(
    *,
    actor: User,
    account: WeChatAccount,
    title: str,
    body_html: str = "",
    digest: str = "",
    author: str = "",
    column: Column | None = None,
    assignment: Assignment | None = None,
    is_original: bool = True,
    source_url: str = "",
) -> Article:
    require(actor, P.ARTICLE_WRITE, account)
    if assignment is not None and assignment.account_id != account.pk:
        raise refuse(_("That assignment belongs to another account."))
    with transaction.atomic():
        article = _new(
            actor,
            account=account,
            title=title,
            body_html=body_html,
            digest=digest,
            author=author,
            column=column or (assignment.topic.column if assignment else None),
            assignment=assignment,
            is_original=is_original,
            source_url=source_url,
        )
        audit(actor, "newsroom.article.create", article, fields=AUDIT_FIELDS)
        publish_on_commit("article.created", article_id=article.pk, account_id=account.pk)
    return article


def article_offer(
    *,
    account: WeChatAccount,
    title: str,
    body_html: str,
    digest: str,
    source: str,
    actor: User | None = None,
    images: Mapping[str, bytes] | None = None,
) -> Article:
    """Another app offers the newsroom a draft (e.g. hydro's daily briefing): it arrives as a
    draft for the editors, sanitised and checked like any other, and goes through the whole
    review chain before anything reaches WeChat. ``actor`` None means the system.

    ``images`` maps the ``src`` of images in the body to their bytes (charts, QR codes): they
    are cleaned and kept at once, then uploaded to WeChat (media/uploadimg) and replaced by
    their WeChat URLs right after the offer commits (``article_images_upload``), as an
    editor's uploads are; until then the checks hold the article back."""
    if actor is not None:
        require(actor, P.ARTICLE_WRITE, account)
    with transaction.atomic():
        kept = {
            src: image_keep(account=account, data=data, actor=actor).pk
            for src, data in (images or {}).items()
        }
        article = _new(
            actor or f"{source}",
            account=account,
            title=title,
            body_html=body_html,
            digest=digest,
            source=source,
            is_original=True,
            note=_("Offered by %(source)s") % {"source": source},
        )
        in_body = set(image_sources(article.body_html))
        pending = {src: pk for src, pk in kept.items() if src in in_body}
        if pending:
            article.pending_images = pending
            article.save(update_fields=["pending_images"])
        audit(actor or source, "newsroom.article.offer", article, fields=AUDIT_FIELDS)
        publish_on_commit(
            "article.offered",
            article_id=article.pk,
            account_id=account.pk,
            source=source,
            images=len(pending),
        )
    return article


def article_images_upload(*, article: Article) -> int:
    """The offered images of ``article`` go to WeChat and the body points at their WeChat
    URLs: a new revision by the system, checked again. Run by a task right after the offer and
    by ``newsroom_tick`` until nothing is pending; an article in review waits (it is locked).
    Returns how many images were replaced."""
    pending = dict(article.pending_images or {})
    if not pending or article.state not in (ArticleState.DRAFT, ArticleState.RETURNED):
        return 0
    images = NewsImage.objects.in_bulk(list(pending.values()))
    urls = {}
    for src, pk in pending.items():
        image = images.get(pk)
        if image is None:
            continue
        try:
            urls[src] = image_to_wechat(image)  # outside the transaction: WeChat cannot roll back
        except WeChatError as exc:
            log.warning("offered image %s of article %s not uploaded: %s", pk, article.pk, exc)
    with transaction.atomic():
        lock(article)
        if article.state not in (ArticleState.DRAFT, ArticleState.RETURNED):
            return 0
        pending = {s: p for s, p in (article.pending_images or {}).items() if s not in urls}
        gone = {s for s in pending if s not in image_sources(article.body_html)}
        body = replace_image_sources(article.body_html, urls)
        article.pending_images = {s: p for s, p in pending.items() if s not in gone}
        changed = body != article.body_html
        article.body_html = body
        article.save(update_fields=["body_html", "pending_images"])
        if changed:
            _revise(article, SYSTEM, note=_("Images uploaded to WeChat"))
            audit(SYSTEM, "newsroom.article.images", article, note=f"{len(urls)} images")
            publish_on_commit("article.saved", article_id=article.pk, account_id=article.account_id)
    return len(urls) if changed else 0


def articles_images_upload_pending(*, limit: int = 50) -> int:
    """Every article still waiting for offered images to reach WeChat (newsroom_tick)."""
    waiting = (
        Article.objects.exclude(pending_images={})
        .filter(state__in=[ArticleState.DRAFT, ArticleState.RETURNED])
        .select_related("account")
        .order_by("pk")[:limit]
    )
    return sum(article_images_upload(article=article) for article in waiting)


def article_save(*, actor: User, article: Article, note: str = "", **changes) -> Article:
    """Save an edit as a new revision (nothing when nothing changed). Locked in review;
    an approved article goes back to draft and needs re-approval."""
    require(actor, P.ARTICLE_WRITE, article)
    unknown = set(changes) - set(FIELDS) - {"column"}
    if unknown:
        raise refuse(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        lock(article)
        if article.state not in workflow.EDITABLE:
            raise refuse(
                _("The article is %(state)s and cannot be edited.")
                % {"state": article.get_state_display()}
            )
        before_hash = article.content_hash()
        if "body_html" in changes:
            changes["body_html"] = clean(changes["body_html"])
        if "title" in changes:
            changes["title"] = (changes["title"] or "").strip()[:64]
            if not changes["title"]:
                raise refuse(_("An article needs a title."))
        for name in ("author", "digest"):
            if name in changes:
                changes[name] = (changes[name] or "").strip()[: 32 if name == "author" else 256]
        cover = changes.get("cover")
        if isinstance(cover, NewsImage) and cover.account_id != article.account_id:
            raise refuse(_("That image belongs to another account."))
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
        if article.content_hash() == before_hash:
            return article
        if article.state == ArticleState.APPROVED:
            workflow.move(article, ArticleState.DRAFT, ArticleState)
            article.save(update_fields=["state"])
            push = article.push
            if push is not None and push.state == PushState.SCHEDULED:
                workflow.move(push, PushState.PLANNED, PushState)
                push.save(update_fields=["state"])
                audit(actor, "newsroom.push.unschedule", push, note=_("An article was edited"))
        _revise(article, actor, note)
        audit(actor, "newsroom.article.save", article, fields=AUDIT_FIELDS)
        publish_on_commit("article.saved", article_id=article.pk, account_id=article.account_id)
    return article


def comment_add(
    *, actor: User, article: Article, body: str, quote: str = "", offset: int | None = None
) -> Comment:
    require(actor, P.REVIEW, article)
    if not (body or "").strip():
        raise refuse(_("A comment needs text."))
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            revision_id=article.revision_id,
            body=body.strip(),
            quote=(quote or "")[:200],
            offset=offset,
            author=actor,
        )
        audit(actor, "newsroom.comment.add", article, note=body[:200])
        publish_on_commit("article.commented", article_id=article.pk, comment_id=comment.pk)
    return comment


def comment_resolve(*, actor: User, comment: Comment) -> Comment:
    require(actor, P.ARTICLE_WRITE, comment.article)
    with transaction.atomic():
        comment.resolved_by = actor
        comment.resolved_at = timezone.now()
        comment.save(update_fields=["resolved_by", "resolved_at"])
        audit(actor, "newsroom.comment.resolve", comment.article)
    return comment


__all__ = [
    "article_create",
    "article_offer",
    "article_save",
    "comment_add",
    "comment_resolve",
]
