"""Reads for the newsroom's pages, and the metrics the performance evaluation reuses."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zhengwei.newsroom import checks
from zhengwei.newsroom.chain import chain_for
from zhengwei.newsroom.models import (
    Article,
    ArticleState,
    Emergency,
    Finding,
    FindingKind,
    FindingState,
    Push,
    PushState,
    ReviewStep,
    StepState,
    Topic,
)
from zhengwei.newsroom.policy import may_decide_step
from zhengwei.newsroom.sanitize import text_of
from zhengwei.orgs.models import WeChatAccount

PUBLISHED_STATES = (PushState.PUBLISHED, PushState.WITHDRAWN)
ARTICLE_PUBLISHED_STATES = (ArticleState.PUBLISHED, ArticleState.WITHDRAWN)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def cadence_target(account: WeChatAccount, week_start: date) -> int:
    """Pushes a week the contract asks for (NEWSROOM_CADENCE_PER_WEEK, default 3), raised to an
    emergency's target in any week an emergency was running."""
    base = settings.NEWSROOM_CADENCE_PER_WEEK
    start, end = _aware(week_start), _aware(week_start + timedelta(days=7))
    emergencies = Emergency.objects.filter(account=account, started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    return max([base, *[e.per_week for e in emergencies]])


def weeks(start: date, end: date) -> list[date]:
    """Mondays of the ISO weeks that begin in [start, end)."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    out = []
    while monday < end:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def published_pushes(*, account: WeChatAccount, start: date, end: date) -> QuerySet[Push]:
    return Push.objects.filter(
        account=account,
        state__in=PUBLISHED_STATES,
        published_at__gte=_aware(start),
        published_at__lt=_aware(end),
    )


def published_articles(*, account: WeChatAccount, start: date, end: date) -> QuerySet[Article]:
    return Article.objects.filter(
        account=account,
        state__in=ARTICLE_PUBLISHED_STATES,
        published_at__gte=_aware(start),
        published_at__lt=_aware(end),
    )


def chain_complete(article: Article, steps: list[ReviewStep]) -> bool:
    """The approved revision went through every level of its chain, each approved."""
    if not steps or article.approved_revision_id is None:
        return False
    last_round = max(s.round for s in steps)
    rounds = [s for s in steps if s.round == last_round]
    if any(s.state != StepState.APPROVED for s in rounds):
        return False
    levels = chain_for(article.account, rounds[0].mode)
    if len(rounds) < len(levels):
        return False
    return all(s.revision_id == article.approved_revision_id for s in rounds)


def newsroom_accounts(account_ids: list[int]) -> set[int]:
    """The accounts among ``account_ids`` that use the newsroom at all (any article, push or
    emergency): the performance evaluation asks ``newsroom_metrics`` only about these, since for
    the others it could only answer "nothing" (three small queries for any number of accounts)."""
    found: set[int] = set()
    for model in (Article, Push, Emergency):
        found.update(
            model.objects.filter(account_id__in=account_ids)
            .values_list("account_id", flat=True)
            .distinct()
        )
    return found


def published_text(*, account_ids: list[int], start: date, end: date) -> dict[int, dict]:
    """{account_id: characters, typos, articles} of the articles published in [start, end): the
    characters of their approved text (title, digest, body; spaces not counted) and the typos
    confirmed on that text — the typo rate's parts (govrules (a) row 7: per 10,000 characters)."""
    out: dict[int, dict] = {}
    published = Article.objects.filter(
        account_id__in=account_ids,
        state__in=ARTICLE_PUBLISHED_STATES,
        published_at__gte=_aware(start),
        published_at__lt=_aware(end),
        approved_revision__isnull=False,
    )
    for account_id, title, digest, body in published.values_list(
        "account_id",
        "approved_revision__title",
        "approved_revision__digest",
        "approved_revision__body_html",
    ):
        text = f"{title}{digest}{text_of(body)}"
        row = out.setdefault(account_id, {"characters": 0, "typos": 0, "articles": 0})
        row["characters"] += sum(1 for ch in text if not ch.isspace())
        row["articles"] += 1
    typos = (
        Finding.objects.filter(
            article__in=published,
            kind=FindingKind.TYPO,
            state=FindingState.CONFIRMED,
            revision_id=F("article__approved_revision_id"),
        )
        .values("article__account_id", "article_id", "text")
        .distinct()
    )
    for row in typos:
        out[row["article__account_id"]]["typos"] += 1
    return out


def reprints_published(
    *, account_ids: list[int], urls: list[str]
) -> dict[tuple[int, str], datetime]:
    """{(account_id, source link): when the first article naming it as its source was
    published}: the reprints of articles a superior designated."""
    rows = (
        Article.objects.filter(
            account_id__in=account_ids,
            source_url__in=urls,
            state__in=ARTICLE_PUBLISHED_STATES,
            published_at__isnull=False,
        )
        .values("account_id", "source_url")
        .annotate(first=Min("published_at"))
    )
    return {(r["account_id"], r["source_url"]): r["first"] for r in rows}


def newsroom_metrics(*, account: WeChatAccount, start: date, end: date) -> dict:
    """The newsroom's figures for [start, end) (end exclusive), for the performance evaluation.

    Keys (numbers, or None when there is nothing to measure):
        pushes_published, articles_published, originals, original_share (0–1),
        review_chain_complete_share (0–1, of the published articles),
        median_draft_to_publish_hours, p90_draft_to_publish_hours,
        emergency_latency_minutes (median, from an emergency's start to the first push
        published after it, over the emergencies started in the period),
        cadence_weeks (ISO weeks beginning in the period), cadence_planned (pushes the
        cadence asked for in those weeks), cadence_met (weeks that met their target),
        typo_count (confirmed typos, decided in the period), banned_hits (banned-word
        findings not dismissed, on revisions written in the period),
        serious_errors_published (serious findings confirmed on published revisions).
    ``sources`` maps each key to the queryset behind it (and ``url``, the console page).
    """
    pushes = published_pushes(account=account, start=start, end=end)
    articles = published_articles(account=account, start=start, end=end)
    article_list = list(articles.select_related("account"))
    originals = [a for a in article_list if a.is_original]

    steps_by_article: dict[int, list[ReviewStep]] = defaultdict(list)
    for step in ReviewStep.objects.filter(article__in=[a.pk for a in article_list]):
        steps_by_article[step.article_id].append(step)
    complete = [a for a in article_list if chain_complete(a, steps_by_article[a.pk])]

    hours = [
        (a.published_at - a.created_at).total_seconds() / 3600
        for a in article_list
        if a.published_at and a.created_at
    ]

    emergencies = Emergency.objects.filter(
        account=account, started_at__gte=_aware(start), started_at__lt=_aware(end)
    )
    latencies = []
    for emergency in emergencies:
        first = (
            Push.objects.filter(
                account=account,
                state__in=PUBLISHED_STATES,
                published_at__gte=emergency.started_at,
            )
            .order_by("published_at")
            .first()
        )
        if first:
            latencies.append((first.published_at - emergency.started_at).total_seconds() / 60)

    week_list = weeks(start, end)
    planned = 0
    met = 0
    for monday in week_list:
        target = cadence_target(account, monday)
        planned += target
        count = published_pushes(
            account=account, start=monday, end=monday + timedelta(days=7)
        ).count()
        met += count >= target

    typos = Finding.objects.filter(
        article__account=account,
        kind=FindingKind.TYPO,
        state=FindingState.CONFIRMED,
        decided_at__gte=_aware(start),
        decided_at__lt=_aware(end),
    )
    banned = Finding.objects.filter(
        article__account=account,
        kind=FindingKind.BANNED,
        revision__created_at__gte=_aware(start),
        revision__created_at__lt=_aware(end),
    ).exclude(state=FindingState.DISMISSED)
    serious_published = Finding.objects.filter(
        article__in=articles,
        serious=True,
        state=FindingState.CONFIRMED,
        revision_id=F("article__approved_revision_id"),
    )

    def distinct(qs) -> int:
        return qs.values("article_id", "kind", "text").distinct().count()

    n = len(article_list)
    return {
        "pushes_published": pushes.count(),
        "articles_published": n,
        "originals": len(originals),
        "original_share": len(originals) / n if n else None,
        "review_chain_complete_share": len(complete) / n if n else None,
        "median_draft_to_publish_hours": statistics.median(hours) if hours else None,
        "p90_draft_to_publish_hours": _percentile(hours, 0.9),
        "emergency_latency_minutes": statistics.median(latencies) if latencies else None,
        "cadence_weeks": len(week_list),
        "cadence_planned": planned,
        "cadence_met": met,
        "typo_count": distinct(typos),
        "banned_hits": distinct(banned),
        "serious_errors_published": distinct(serious_published),
        "sources": {
            "pushes_published": {"queryset": pushes},
            "articles_published": {"queryset": articles},
            "originals": {"queryset": articles.filter(is_original=True)},
            "original_share": {"queryset": articles},
            "review_chain_complete_share": {
                "queryset": articles.filter(pk__in=[a.pk for a in complete])
            },
            "median_draft_to_publish_hours": {"queryset": articles},
            "emergency_latency_minutes": {"queryset": emergencies},
            "cadence_planned": {"queryset": pushes},
            "cadence_met": {"queryset": pushes},
            "typo_count": {"queryset": typos},
            "banned_hits": {"queryset": banned},
            "serious_errors_published": {"queryset": serious_published},
        },
    }


# --- pages -----------------------------------------------------------------------------------
def articles(*, account: WeChatAccount, state: str = "", column: int | None = None):
    qs = Article.objects.filter(account=account).select_related("column", "push", "revision")
    if state:
        qs = qs.filter(state=state)
    if column:
        qs = qs.filter(column_id=column)
    return qs.order_by("-created_at")


def steps_waiting_for(user, account: WeChatAccount) -> list[ReviewStep]:
    """Open review steps this person may decide now (their level, or escalated to them)."""
    steps = (
        ReviewStep.objects.filter(article__account=account, state=StepState.PENDING)
        .select_related("article", "revision", "article__account")
        .order_by("due_at", "started_at")
    )
    return [s for s in steps if may_decide_step(user, s)]


def marked_text(article: Article) -> tuple[str, list[Finding], list[Finding]]:
    """The text reviewers read (title, digest, body) with each positioned finding marked, and
    the findings without a position (limits, links)."""
    revision = article.revision
    doc = checks.document(revision.title, revision.digest, text_of(revision.body_html))
    findings = list(Finding.objects.filter(revision=revision).order_by("start", "-end"))
    placed = [f for f in findings if f.end > f.start]
    unplaced = [f for f in findings if f.end <= f.start]
    out, at = [], 0
    for f in placed:
        if f.start < at:
            continue
        out.append(escape(doc[at : f.start]))
        css = "zw-serious" if f.serious else "zw-warn"
        if f.state == FindingState.DISMISSED:
            css = "zw-dismissed"
        out.append(
            f'<mark class="{css}" id="finding-{f.pk}" data-finding="{f.pk}" '
            f'title="{escape(f.message)}">{escape(doc[f.start : f.end])}</mark>'
        )
        at = f.end
    out.append(escape(doc[at:]))
    text = mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308  (escaped above)
    return text, placed, unplaced


def calendar(*, account: WeChatAccount, day: date, view: str = "week") -> dict:
    """Weeks of days with their pushes (planned, scheduled, published) and planned topics, each
    week against its cadence target; a week short of it is a gap, shown before it happens."""
    if view == "month":
        first = day.replace(day=1)
        start = first - timedelta(days=first.weekday())
        following = (first + timedelta(days=32)).replace(day=1)
        end = following + timedelta(days=(7 - following.weekday()) % 7)
    else:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=7)
    pushes = list(
        Push.objects.filter(account=account, planned_for__gte=start, planned_for__lt=end)
        .exclude(state=PushState.WITHDRAWN)
        .prefetch_related("articles")
        .order_by("planned_for", "publish_at")
    )
    topics = list(
        Topic.objects.filter(account=account, planned_for__gte=start, planned_for__lt=end)
        .exclude(state="declined")
        .select_related("column")
    )
    today = timezone.localdate()
    weeks_out = []
    monday = start
    while monday < end:
        days = []
        for offset in range(7):
            d = monday + timedelta(days=offset)
            days.append(
                {
                    "date": d,
                    "pushes": [p for p in pushes if p.planned_for == d],
                    "topics": [t for t in topics if t.planned_for == d],
                    "today": d == today,
                    "in_month": view == "week" or d.month == day.month,
                }
            )
        count = sum(len(x["pushes"]) for x in days)
        target = cadence_target(account, monday)
        gap = count < target
        for x in days:
            x["gap"] = gap and not x["pushes"] and x["date"] >= today
        weeks_out.append(
            {
                "monday": monday,
                "days": days,
                "count": count,
                "target": target,
                "gap": gap,
                "past": monday + timedelta(days=7) <= today,
            }
        )
        monday += timedelta(days=7)
    step = timedelta(days=31 if view == "month" else 7)
    return {
        "weeks": weeks_out,
        "day": day,
        "previous": (day.replace(day=1) - timedelta(days=1)) if view == "month" else day - step,
        "next": (day.replace(day=28) + timedelta(days=7)) if view == "month" else day + step,
    }


def metrics_series(*, account: WeChatAccount, start: date, end: date) -> dict:
    """The charts of the metrics page: pushes per week against the cadence, draft-to-publication
    hours per month (median and P90), articles and originals per column, time per review level,
    and the return reasons."""
    week_rows = []
    for monday in weeks(start - timedelta(days=start.weekday()), end):
        count = published_pushes(
            account=account, start=monday, end=monday + timedelta(days=7)
        ).count()
        originals = (
            published_articles(account=account, start=monday, end=monday + timedelta(days=7))
            .filter(is_original=True)
            .count()
        )
        week_rows.append(
            {
                "week": f"{monday:%m-%d}",
                "pushes": count,
                "target": cadence_target(account, monday),
                "originals": originals,
            }
        )
    articles = list(
        published_articles(account=account, start=start, end=end).select_related("column")
    )
    by_month: dict[str, list[float]] = defaultdict(list)
    by_column: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in articles:
        by_month[f"{timezone.localtime(a.published_at):%Y-%m}"].append(
            (a.published_at - a.created_at).total_seconds() / 3600
        )
        row = by_column[a.column.name if a.column else "—"]
        row[0] += 1
        row[1] += int(a.is_original)
    months = [
        {"month": m, "median": round(statistics.median(v), 1), "p90": round(_percentile(v, 0.9), 1)}
        for m, v in sorted(by_month.items())
    ]
    steps = ReviewStep.objects.filter(
        article__account=account,
        decided_at__gte=_aware(start),
        decided_at__lt=_aware(end),
    ).exclude(state=StepState.PENDING)
    per_level: dict[str, list[float]] = defaultdict(list)
    reasons = []
    for s in steps.select_related("article"):
        per_level[s.name].append((s.decided_at - s.started_at).total_seconds() / 3600)
        if s.state == StepState.RETURNED:
            reasons.append(
                {"article": s.article, "level": s.name, "reason": s.comment, "at": s.decided_at}
            )
    levels = [
        {"level": k, "median": round(statistics.median(v), 2), "count": len(v)}
        for k, v in per_level.items()
    ]
    return {
        "weeks": week_rows,
        "months": months,
        "columns": [
            {"column": k, "articles": v[0], "originals": v[1]} for k, v in by_column.items()
        ],
        "levels": levels,
        "returns": reasons,
    }
