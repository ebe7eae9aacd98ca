"""What every newsroom service shares: the audit helper, the actor checks and the checks run."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max

from zhengwei.access.policy import denied, may
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.newsroom import checks
from zhengwei.newsroom.models import (
    Article,
    Finding,
    FindingState,
    NewsImage,
    Revision,
    Term,
    TermKind,
)
from zhengwei.newsroom.sanitize import image_sources, text_of
from zhengwei.orgs.models import User
from zhengwei.wechat.outbound import limits as wechat_limits

SYSTEM = "system"


def user_of(actor) -> User | None:
    return actor if isinstance(actor, User) else None


def audit(actor, action: str, obj, *, before: dict | None = None, fields=None, note="") -> None:
    after = snapshot(obj, fields) if fields else None
    b, a = diff(before, after) if before and after else (None, after)
    audit_record(
        actor=user_of(actor),
        actor_name="" if user_of(actor) else (actor if isinstance(actor, str) else SYSTEM),
        action=action,
        obj=obj,
        before=b,
        after=a,
        note=note,
    )


def require(actor, action: str, obj) -> None:
    if not isinstance(actor, User) or not may(actor, action, obj):
        raise denied()


def refuse(message: str) -> ValidationError:
    return ValidationError(message)


# --- the checks ------------------------------------------------------------------------------
_LISTS: dict[int, tuple[tuple, checks.Lists]] = {}


def lists_for(account) -> checks.Lists:
    """The account's compiled word lists, rebuilt when any list changed (count or last edit):
    a cache of data the database holds, so every process sees an edit on its next check."""
    terms = Term.objects.filter(account=account)
    version = tuple(terms.aggregate(n=Max("pk"), t=Max("updated_at")).values()) + (terms.count(),)
    cached = _LISTS.get(account.pk)
    if cached and cached[0] == version:
        return cached[1]
    rows = list(terms.values_list("kind", "term", "replacement", "rank"))
    compiled = checks.compile_lists(
        banned=[t for k, t, _, _ in rows if k == TermKind.BANNED],
        sensitive=[t for k, t, _, _ in rows if k == TermKind.SENSITIVE],
        typos={t: r for k, t, r, _ in rows if k == TermKind.TYPO and r},
        leaders=[(t, r, n) for k, t, r, n in rows if k == TermKind.LEADER],
    )
    _LISTS[account.pk] = (version, compiled)
    return compiled


def run_checks(article: Article, revision: Revision) -> list[Finding]:
    """Check ``revision`` and store its findings. A candidate dismissed on an earlier revision
    of the article (same kind, text and suggestion) stays dismissed."""
    doc = checks.document(revision.title, revision.digest, text_of(revision.body_html))
    hits = checks.segmented_hits(doc, checks.word_hits(doc, lists_for(article.account)))
    hits += checks.personal_hits(doc)
    hits += checks.link_hits(revision.body_html, settings.NEWSROOM_LINK_HOSTS)
    sources = image_sources(revision.body_html)
    on_wechat = set(
        NewsImage.objects.filter(account=article.account, wechat_url__in=sources)
        .exclude(wechat_url="")
        .values_list("wechat_url", flat=True)
    )
    hits += checks.image_hits(sources, on_wechat)
    hits += checks.limit_hits(
        title=revision.title,
        author=revision.author,
        digest=revision.digest,
        body_html=revision.body_html,
        has_cover=revision.cover_id is not None,
        limits=wechat_limits.get("draft"),
    )
    dismissed = {
        (f.kind, f.text, f.suggestion)
        for f in Finding.objects.filter(article=article, state=FindingState.DISMISSED)
    }
    rows = [
        Finding(
            article=article,
            revision=revision,
            kind=h.kind,
            serious=h.serious,
            start=h.start,
            end=h.end,
            text=h.text[:200],
            suggestion=h.suggestion[:200],
            message=h.message[:300],
            state=(
                FindingState.DISMISSED
                if (h.kind, h.text[:200], h.suggestion[:200]) in dismissed
                else FindingState.OPEN
            ),
        )
        for h in hits
    ]
    return Finding.objects.bulk_create(rows)


def blocking_findings(article: Article):
    """Serious findings on the current revision not dismissed: 终审 cannot approve over them."""
    return Finding.objects.filter(
        article=article, revision_id=article.revision_id, serious=True
    ).exclude(state=FindingState.DISMISSED)
