"""Every indicator of the one catalogue (``zhengwei.lib.indicators``) that the platform can measure
from its own records, per account, for any period [start, end) (dates, end exclusive).

Sources: publications seen on the account (``Publication``), incidents confirmed by the office
(``Incident``), daily menu-link probes (``MenuProbe``), the message inbox
(``interactions.aggregates``), disaster reports (``reports.aggregates``) and WeChat's stored daily
statistics (``wechat.outbound.aggregates``). Every source is read with grouped queries for all the
accounts at once, so 500 accounts cost the same handful of queries as one.

A value is None when it cannot be measured (no data): it is shown as missing, never as zero.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from zhengwei.interactions import aggregates as conversations
from zhengwei.lib.wci import ArticleFigures, wci
from zhengwei.newsroom.selectors import (
    newsroom_accounts,
    newsroom_metrics,
    published_text,
    reprints_published,
)
from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance import monthly
from zhengwei.performance.models import (
    Incident,
    IncidentKind,
    MenuProbe,
    Publication,
    RegistryFiling,
    ReprintRequest,
)
from zhengwei.performance.monthly import bounds
from zhengwei.wechat.outbound import aggregates as stats

# How many consecutive failed daily probes make a menu link "persistently" broken.
PERSISTENT_FAILURES = 3
# Pushes per week the platform assumes when no contract plans otherwise (govrules (a) row 18).
DEFAULT_PUSHES_PER_WEEK = Decimal(3)


@dataclass
class Measure:
    code: str
    value: Decimal | None
    missing_days: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


def _dec(value, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _longest_gap(times: list[datetime], start: datetime, end: datetime) -> Decimal:
    """The longest stretch in [start, end) without a post, in days (one decimal): from the last
    post before the period (or the period start when there was none) to each post, and from the
    last post to the period end."""
    gap = timedelta(0)
    previous = None
    for t in times:
        if t >= end:
            break
        if t < start:
            previous = t
            continue
        gap = max(gap, t - (previous if previous is not None else start))
        previous = t
    gap = max(gap, end - (previous if previous is not None else start))
    return _dec(gap.total_seconds() / 86400, "0.1")


def measure_accounts(
    accounts: Iterable[WeChatAccount],
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    pushes_per_week: dict[int, Decimal] | None = None,
) -> dict[int, dict[str, Measure]]:
    """{account id: {indicator code: Measure}} for [start, end). The period ends at ``now`` when
    it is still running."""
    accounts = list(accounts)
    ids = [a.pk for a in accounts]
    now = now or timezone.now()
    t0, t1 = bounds(start, end)
    t_end = min(t1, now)
    today = timezone.localtime(now).date()
    out: dict[int, dict[str, Measure]] = {pk: {} for pk in ids}

    def put(pk: int, code: str, value, **kw) -> None:
        out[pk][code] = Measure(code, value, **kw)

    # --- publications: longest gap without a post, volume against plan, original share -----
    last_before = dict(
        Publication.objects.filter(account_id__in=ids, ok=True, published_at__lt=t0)
        .values("account_id")
        .annotate(last=Max("published_at"))
        .values_list("account_id", "last")
    )
    times: dict[int, list[datetime]] = defaultdict(list)
    for pk, at in (
        Publication.objects.filter(
            account_id__in=ids, ok=True, published_at__gte=t0, published_at__lt=t_end
        )
        .order_by("published_at")
        .values_list("account_id", "published_at")
    ):
        times[pk].append(at)
    volume = {
        row["account_id"]: row
        for row in Publication.objects.filter(
            account_id__in=ids, ok=True, published_at__gte=t0, published_at__lt=t_end
        )
        .values("account_id")
        .annotate(
            pushes=Count("pk", filter=Q(kind="push")),
            articles=Sum("article_count"),
            originals=Sum("original_count"),
        )
    }
    weeks = Decimal(max((t_end - t0).total_seconds(), 0)) / Decimal(7 * 86400)
    for pk in ids:
        series = ([last_before[pk]] if pk in last_before else []) + times[pk]
        put(
            pk,
            "days_since_last_post",
            _longest_gap(series, t0, t_end) if t_end > t0 else None,
            detail={"posts": len(times[pk]), "last_before": last_before.get(pk)},
        )
        row = volume.get(pk, {"pushes": 0, "articles": 0, "originals": 0})
        plan = (pushes_per_week or {}).get(pk, DEFAULT_PUSHES_PER_WEEK) * weeks
        put(
            pk,
            "volume_vs_plan",
            _dec(Decimal(row["pushes"]) * 100 / plan, "0.1") if plan else None,
            detail={"pushes": row["pushes"], "planned": _dec(plan, "0.1")},
        )
        articles = row["articles"] or 0
        put(
            pk,
            "original_ratio",
            _dec(Decimal(row["originals"] or 0) * 100 / articles, "0.1") if articles else None,
            detail={"articles": articles, "originals": row["originals"] or 0},
        )

    # --- incidents confirmed by the office ------------------------------------------------------
    incidents = {
        row["account_id"]: row
        for row in Incident.objects.filter(
            account_id__in=ids, occurred_at__gte=t0, occurred_at__lt=t1
        )
        .values("account_id")
        .annotate(
            serious=Count("pk", filter=Q(kind=IncidentKind.SERIOUS_ERROR)),
            leaks=Count("pk", filter=Q(kind=IncidentKind.LEAK)),
            prohibited=Count("pk", filter=Q(kind=IncidentKind.PROHIBITED)),
            typos=Count("pk", filter=Q(kind=IncidentKind.TYPO)),
        )
    }
    for pk in ids:
        row = incidents.get(pk, {})
        put(pk, "serious_error_events", Decimal(row.get("serious", 0)))
        put(pk, "secret_or_pii_leaks", Decimal(row.get("leaks", 0)))
        put(pk, "prohibited_content_or_links", Decimal(row.get("prohibited", 0)))

    # --- menu probes: share of links persistently failing ---------------------------------------
    probes: dict[int, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for pk, url, ok in (
        MenuProbe.objects.filter(account_id__in=ids, probed_at__gte=t0, probed_at__lt=t1)
        .order_by("probed_at")
        .values_list("account_id", "url", "ok")
    ):
        probes[pk][url].append(ok)
    for pk in ids:
        links = probes.get(pk)
        if not links:
            put(pk, "broken_function_rate", None, detail={"links": 0})
            continue
        broken = [u for u, oks in links.items() if _persistent(oks)]
        put(
            pk,
            "broken_function_rate",
            _dec(Decimal(len(broken)) * 100 / len(links), "0.1"),
            detail={"links": len(links), "broken": broken},
        )

    # --- messages -------------------------------------------------------------------------------
    # Messages and reports: the kept months where valid, the records for the rest (monthly.py).
    fig_mr = monthly.figures(ids, start, end, now)
    conv = {pk: f["messages"] for pk, f in fig_mr.items() if f["messages"]}
    overdue = conversations.unanswered_over(account_ids=ids, now=t_end)
    for pk in ids:
        row = conv.get(pk)
        if row is None:
            put(pk, "msg_first_response_time", None, detail={"received": 0})
            put(pk, "msg_resolved_in_sla", None, detail={"received": 0})
            put(pk, "office_escalation_latency", None, detail={"escalated": 0})
            put(pk, "interaction_channel_ok", Decimal(1), detail={"received": 0, "answered": 0})
        else:
            median = row["first_response"]["median_s"]
            put(
                pk,
                "msg_first_response_time",
                _dec(median / 3600) if median is not None else None,
                detail={**row["first_response"], "received": row["received"]},
            )
            rate = row["in_sla_rate"]
            put(
                pk,
                "msg_resolved_in_sla",
                _dec(rate * 100, "0.1") if rate is not None else None,
                detail={"in_time": row["resolved_in_time"], "due": row["resolution_due"]},
            )
            esc = row["escalation"]["median_s"]
            put(
                pk,
                "office_escalation_latency",
                _dec(esc / 3600) if esc is not None else None,
                detail={**row["escalation"], "escalated": row["escalated"]},
            )
            # Working when citizens' messages got answers (a period without messages is working).
            ok = row["answered"] > 0 or row["received"] == 0
            put(
                pk,
                "interaction_channel_ok",
                Decimal(1 if ok else 0),
                detail={"received": row["received"], "answered": row["answered"]},
            )
        put(pk, "msg_overdue_90d", Decimal(overdue.get(pk, 0)))

    # --- disaster reports (not catalogue indicators: the dashboard's report handling) ------------
    rep = {pk: f["reports"] for pk, f in fig_mr.items() if f["reports"]}
    for pk in ids:
        row = rep.get(pk)
        median = row["first_ack"]["median_s"] if row else None
        put(
            pk,
            "report_first_ack_minutes",
            _dec(median / 60, "0.1") if median is not None else None,
            detail=row or {"received": 0},
        )
        rate = row["deadline_rate"] if row else None
        put(pk, "report_deadline_rate", _dec(rate * 100, "0.1") if rate is not None else None)

    # --- followers and reads from WeChat's statistics ---------------------------------------------
    fig = stats.follower_read_figures(account_ids=ids, start=start, end=end)
    span = stats.span_days(start, end, today=today)
    for pk in ids:
        row = fig.get(pk)
        have = row["days_with_data"] if row else 0
        missing = max(0, span - have)
        net = row["net"] if row and have else None
        put(
            pk,
            "follower_net_growth",
            Decimal(net) if net is not None else None,
            missing_days=missing,
            detail=row or {},
        )
        put(
            pk,
            "reads",
            Decimal(row["reads"]) if row and have else None,
            missing_days=missing,
        )
    # --- the newsroom: review chain, emergency latency, typos, banned words, and (when the
    # account publishes through the newsroom) originals and pushes against its cadence plan -----
    # newsroom_metrics asks a dozen questions per account (per week for the cadence): only the
    # accounts that use the newsroom at all are asked; for the others it could only say "nothing".
    users = newsroom_accounts(ids)
    for account in accounts:
        if account.pk in users:
            _newsroom(out[account.pk], account, start, end)

    # --- typos per 10,000 characters: those confirmed on the newsroom's published text and those
    # the office recorded on posts, over the characters the newsroom published (row 7) ----------
    text = published_text(account_ids=sorted(users), start=start, end=end) if users else {}
    for pk in ids:
        row = text.get(pk, {"characters": 0, "typos": 0, "articles": 0})
        recorded = incidents.get(pk, {}).get("typos", 0)
        typos = row["typos"] + recorded
        put(
            pk,
            "typo_rate",
            _dec(Decimal(typos) * 10000 / row["characters"]) if row["characters"] else None,
            detail={**row, "recorded": recorded, "typos": typos},
        )
    _reprints(out, ids, t0, t1, now)
    _wci(out, ids, start, end, today)
    _registry(out, ids, start, end)
    return out


def _reprints(out, ids: list[int], t0: datetime, t1: datetime, now: datetime) -> None:
    """Hours from a superior's designation to the reprint (median over the articles designated
    in the period, row 10); one not reprinted yet counts the hours it has waited so far, so a
    missing reprint can only lengthen the figure, never hide."""
    requests = list(
        ReprintRequest.objects.filter(
            account_id__in=ids, designated_at__gte=t0, designated_at__lt=t1
        ).order_by("designated_at")
    )
    found = (
        reprints_published(account_ids=ids, urls=sorted({r.source_url for r in requests}))
        if requests
        else {}
    )
    hours: dict[int, list[float]] = defaultdict(list)
    waiting: dict[int, int] = defaultdict(int)
    for r in requests:
        done = r.reprinted_at or found.get((r.account_id, r.source_url))
        if done is not None and done <= now:
            hours[r.account_id].append(max(0.0, (done - r.designated_at).total_seconds() / 3600))
        else:
            waiting[r.account_id] += 1
            hours[r.account_id].append((min(t1, now) - r.designated_at).total_seconds() / 3600)
    for pk in ids:
        got = hours.get(pk)
        out[pk]["reprint_latency"] = Measure(
            "reprint_latency",
            _dec(statistics.median(got)) if got else None,
            detail={"designated": len(got or []), "waiting": waiting.get(pk, 0)},
        )


def _wci(out, ids: list[int], start: date, end: date, today: date) -> None:
    """The WeChat Communication Index from the stored daily article figures (row 16)."""
    days = stats.span_days(start, end, today=today)
    figures = stats.article_figures(account_ids=ids, start=start, end=end)
    for pk in ids:
        arts = [
            ArticleFigures(
                f["reads"], f["zaikan"], f["likes"], f["shares"], headline=msgid.endswith("_1")
            )
            for msgid, f in figures.get(pk, {}).items()
        ]
        value = wci(arts, days)
        out[pk]["wci"] = Measure(
            "wci", _dec(value) if value is not None else None, detail={"articles": len(arts)}
        )


def _registry(out, ids: list[int], start: date, end: date) -> None:
    """Filed with the national registry, under the account's own name and owner, the only account
    of its owner on the platform (the first filed keeps it), and a closing account has posted
    its notice (row 23). No filing is a failure, not missing data."""
    latest: dict[int, RegistryFiling] = {}
    for f in RegistryFiling.objects.filter(filed_on__lt=end).order_by("filed_on", "pk"):
        latest[f.account_id] = f
    first_of_owner: dict[tuple[str, str], int] = {}
    for account_id, f in sorted(latest.items(), key=lambda kv: (kv[1].filed_on, kv[1].pk)):
        if f.closing_on is None or f.closing_on > start:
            first_of_owner.setdefault((f.registered_owner, f.platform), account_id)
    names = {
        pk: (name, owner)
        for pk, name, owner in WeChatAccount.objects.filter(pk__in=ids).values_list(
            "pk", "name", "office__name"
        )
    }
    for pk in ids:
        f = latest.get(pk)
        if f is None:
            checks = {"filed": False}
        else:
            name, owner = names.get(pk, ("", ""))
            checks = {
                "filed": True,
                "name": f.registered_name == name,
                "owner": f.registered_owner == owner,
                "one_per_owner": first_of_owner.get((f.registered_owner, f.platform), pk) == pk,
                "closing_notice": not (f.closing_on and f.closing_on < end)
                or bool(f.stop_notice_url),
            }
        out[pk]["account_registry_ok"] = Measure(
            "account_registry_ok",
            Decimal(1 if all(checks.values()) else 0),
            detail={**checks, "filing": f.pk if f else None},
        )


def _newsroom(m: dict[str, Measure], account: WeChatAccount, start: date, end: date) -> None:
    nm = newsroom_metrics(account=account, start=start, end=end)
    share = nm.get("review_chain_complete_share")
    m["review_chain_complete"] = Measure(
        "review_chain_complete",
        _dec(share * 100, "0.1") if share is not None else None,
        detail={"articles": nm.get("articles_published")},
    )
    latency = nm.get("emergency_latency_minutes")
    m["emergency_latency"] = Measure(
        "emergency_latency", _dec(latency, "0.1") if latency is not None else None
    )
    if nm.get("articles_published"):
        m["original_ratio"] = Measure(
            "original_ratio",
            _dec(Decimal(str(nm["original_share"])) * 100, "0.1"),
            detail={
                "articles": nm["articles_published"],
                "originals": nm["originals"],
                "source": "newsroom",
            },
        )
    if nm.get("cadence_planned") and nm.get("pushes_published"):
        m["volume_vs_plan"] = Measure(
            "volume_vs_plan",
            _dec(Decimal(nm["pushes_published"]) * 100 / nm["cadence_planned"], "0.1"),
            detail={
                "pushes": nm["pushes_published"],
                "planned": nm["cadence_planned"],
                "weeks_met": nm.get("cadence_met"),
                "source": "newsroom",
            },
        )
    serious = nm.get("serious_errors_published") or 0
    if serious:
        base = m["serious_error_events"].value or Decimal(0)
        m["serious_error_events"] = Measure(
            "serious_error_events", base + serious, detail={"newsroom": serious}
        )
    banned = nm.get("banned_hits") or 0
    if banned:
        base = m["prohibited_content_or_links"].value or Decimal(0)
        m["prohibited_content_or_links"] = Measure(
            "prohibited_content_or_links", base + banned, detail={"newsroom": banned}
        )
    m["newsroom_typos"] = Measure("newsroom_typos", Decimal(nm.get("typo_count") or 0))
    hours = nm.get("median_draft_to_publish_hours")
    m["draft_to_publish_hours"] = Measure(
        "draft_to_publish_hours", _dec(hours) if hours is not None else None
    )


def _persistent(oks: list[bool]) -> bool:
    run = 0
    for ok in oks:
        run = 0 if ok else run + 1
        if run >= PERSISTENT_FAILURES:
            return True
    return False


def measure_account(account: WeChatAccount, start: date, end: date, **kw) -> dict[str, Measure]:
    return measure_accounts([account], start, end, **kw)[account.pk]
