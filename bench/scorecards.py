"""`bench/run scorecards`: the performance evaluation at scale (issue 13), on PostgreSQL.

1. A year of one busy account — 1,000,000 messages and comments, 100,000 disaster reports, 600
   pushes with 2,000 articles, a year of daily WeChat statistics plus daily figures per article:
   the full-year scorecard (target ≤ 1 s) and the dashboard's first paint — the page and the data
   its charts draw (target ≤ 2 s).
2. 500 accounts × one month: every account's indicators and the ranking (target ≤ 10 s).

Each is printed beside a naive per-row Python computation of the same numbers (every row read
into Python, medians and sums there), with the ratio, and the numbers are checked to agree.

Environment: BENCH_PG_URL [postgres://postgres@127.0.0.1:5432], BENCH_PERF_MESSAGES [1000000],
BENCH_PERF_REPORTS [100000], BENCH_PERF_ACCOUNTS [500], BENCH_PERF_KEEP [unset: recreate the
database; 1: reuse it when it is already filled].
Results: printed, and bench/results/scorecards-<date>.md.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = "zhengwei_bench_perf"
N_MESSAGES = int(os.environ.get("BENCH_PERF_MESSAGES") or 1_000_000)
N_REPORTS = int(os.environ.get("BENCH_PERF_REPORTS") or 100_000)
N_ACCOUNTS = int(os.environ.get("BENCH_PERF_ACCOUNTS") or 500)
KEEP = os.environ.get("BENCH_PERF_KEEP") == "1"
YEAR = 2025
TARGETS = {"scorecard": 1.0, "dashboard": 2.0, "accounts": 10.0}

os.environ["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")
os.environ.setdefault("DEBUG", "true")  # static files without collectstatic
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", f"{PG_URL}/{db}", "-qc", sql], check=True, capture_output=True)


def fresh_database() -> bool:
    """Recreate and migrate the bench database; False when kept (already filled)."""
    if KEEP:
        out = subprocess.run(
            ["psql", f"{PG_URL}/{PG_DB}", "-tAc", "select count(*) from performance_publication"],
            capture_output=True,
            text=True,
        )
        if out.returncode == 0 and out.stdout.strip() not in ("", "0"):
            migrate()  # the data stays; the tables follow the code
            return False
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DB}")
    migrate()
    return True


def migrate() -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, cwd=ROOT
    )


# --- data ------------------------------------------------------------------------------------
def insert_series(model, n: int, exprs: dict[str, str], *, start: int = 1) -> None:
    """INSERT n rows of ``model`` in one statement over generate_series(g): ``exprs`` gives the
    SQL of some columns, the rest get NULL / '' / false / 0 / now()."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    cols, vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f'"{f.column}"')
        if f.column in exprs:
            vals.append(exprs[f.column])
        elif f.null:
            vals.append("NULL")
        else:
            kind = f.get_internal_type()
            if kind in ("CharField", "TextField"):
                default = (
                    f.default if f.default is not NOT_PROVIDED and not callable(f.default) else ""
                )
                vals.append("'" + str(default).replace("'", "''") + "'")
            elif kind == "BooleanField":
                vals.append("false")
            elif kind == "UUIDField":
                vals.append("gen_random_uuid()")
            elif kind == "DateTimeField":
                vals.append("now()")
            elif kind == "JSONField":
                vals.append("'{}'::jsonb")
            else:
                vals.append("0")
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
        f"SELECT {', '.join(vals)} FROM generate_series({start}::bigint, {start + n - 1}) AS g"
    )
    with connection.cursor() as cur:
        cur.execute(sql)


T0 = f"'{YEAR}-01-01 00:00:00+08'::timestamptz"


def fill_busy(account) -> None:
    from zhengwei.interactions.models import Conversation
    from zhengwei.performance import seeding
    from zhengwei.performance.models import Publication
    from zhengwei.reports.models import Report
    from zhengwei.wechat.outbound.models import DatacubeRow

    a = account.pk
    step = 365 * 86400 / N_MESSAGES
    created = f"({T0} + (g * {step}) * interval '1 second')"
    first = f"CASE WHEN g % 20 <> 0 THEN {created} + ((g * 7919) % 600) * interval '1 minute' END"
    resolved = (
        f"CASE WHEN g % 20 <> 0 AND g % 10 <> 5 THEN {created} + ((g * 7919) % 600) * interval "
        f"'1 minute' + ((g * 104729) % 96) * interval '1 hour' END"
    )
    insert_series(
        Conversation,
        N_MESSAGES,
        {
            "account_id": str(a),
            "channel": "CASE WHEN g % 3 = 0 THEN 'comment' ELSE 'message' END",
            "openid": "'oBENCH' || (g % 50000)",
            "category": "'inquiry'",
            "state": "CASE WHEN g % 20 <> 0 AND g % 10 <> 5 THEN 'resolved' ELSE 'open' END",
            "created_at": created,
            "last_item_at": created,
            "updated_at": created,
            "first_response_due": f"{created} + interval '8 hours'",
            "resolution_due": f"{created} + interval '48 hours'",
            "first_response_at": first,
            "resolved_at": resolved,
            "escalated_at": f"CASE WHEN g % 5 = 0 THEN {created} + (g % 180) * interval '1 minute' END",
        },
    )
    rstep = 365 * 86400 / N_REPORTS
    rcreated = f"({T0} + (g * {rstep}) * interval '1 second')"
    insert_series(
        Report,
        N_REPORTS,
        {
            "account_id": str(a),
            "ticket": "'B' || g",
            "channel": "(ARRAY['chat','h5','open311','phone'])[g % 4 + 1]",
            "hazard": "'waterlogging'",
            "priority": "'P2'",
            "state": "(ARRAY['resolved','closed','closed','duplicate','received','rejected','resolved'])[g % 7 + 1]",
            "submitted_at": rcreated,
            "created_at": rcreated,
            "updated_at": rcreated,
            "due_at": f"{rcreated} + interval '24 hours'",
            "auto_ack_at": f"{rcreated} + interval '2 seconds'",
            "first_ack_at": f"{rcreated} + (g % 30) * interval '1 minute'",
            "contacted_at": f"{rcreated} + ((g * 13) % 1800) * interval '1 minute'",
            "resolved_at": f"CASE WHEN g % 7 IN (0, 1, 2, 6) THEN {rcreated} + ((g * 31) % 48) * interval '1 hour' END",
        },
    )
    at0 = datetime(YEAR, 1, 1, 18, tzinfo=_tz())
    Publication.objects.bulk_create(
        seeding.push(
            account,
            at0 + timedelta(hours=n * 14.6),
            articles=3 if n % 3 else 4,
            originals=2,
            ref=f"bench:{n}",
            title=f"推送 {n}",
        )
        for n in range(600)
    )
    rows = []
    followers = 150000
    for d in range(365):
        day = date(YEAR, 1, 1) + timedelta(days=d)
        if d % 61 == 7:  # WeChat kept nothing for these days
            continue
        followers += 40
        rows += seeding.stats_day(
            account,
            day,
            new=(30 + d % 17, 20),
            cancel=(10, d % 17),
            followers=followers,
            reads=3000 + d * 7 % 900,
            shares=90,
            # Each of the ~2,000 articles has daily figures for the week after it was published.
            articles=[(f"{d}_{k}", {"read_user": 300 + k}) for k in range(5 + d % 2 * 2)],
        )
    DatacubeRow.objects.bulk_create(rows, batch_size=5000)


def fill_many(accounts) -> None:
    from zhengwei.interactions.models import Conversation
    from zhengwei.performance import seeding
    from zhengwei.performance.models import Publication
    from zhengwei.reports.models import Report
    from zhengwei.wechat.outbound.models import DatacubeRow

    ids = "ARRAY[" + ",".join(str(a.pk) for a in accounts) + "]"
    n = len(accounts)
    m0 = f"'{YEAR}-11-01 00:00:00+08'::timestamptz"
    per = 300
    created = f"({m0} + ((g / {n}) * {30 * 86400 / per}) * interval '1 second')"
    insert_series(
        Conversation,
        n * per,
        {
            "account_id": f"({ids})[g % {n} + 1]",
            "channel": "'message'",
            "openid": "'oMANY' || g",
            "category": "'inquiry'",
            "state": "CASE WHEN g % 9 = 0 THEN 'open' ELSE 'resolved' END",
            "created_at": created,
            "last_item_at": created,
            "updated_at": created,
            "first_response_due": f"{created} + interval '8 hours'",
            "resolution_due": f"{created} + interval '48 hours'",
            "first_response_at": f"{created} + ((g * 7) % ({n} + g % 300)) * interval '1 minute'",
            "resolved_at": f"CASE WHEN g % 9 <> 0 THEN {created} + ((g * 11) % 72) * interval '1 hour' END",
        },
        start=10_000_000,
    )
    insert_series(
        Report,
        n * 20,
        {
            "account_id": f"({ids})[g % {n} + 1]",
            "ticket": "'M' || g",
            "channel": "'chat'",
            "hazard": "'waterlogging'",
            "priority": "'P2'",
            "state": "CASE WHEN g % 4 = 0 THEN 'received' ELSE 'resolved' END",
            "submitted_at": f"({m0} + (g % 720) * interval '1 hour')",
            "created_at": f"({m0} + (g % 720) * interval '1 hour')",
            "updated_at": "now()",
            "due_at": f"({m0} + (g % 720) * interval '1 hour' + interval '24 hours')",
            "first_ack_at": f"({m0} + (g % 720) * interval '1 hour' + (g % 40) * interval '1 minute')",
            "resolved_at": f"CASE WHEN g % 4 <> 0 THEN ({m0} + (g % 720) * interval '1 hour' + (g % 30) * interval '1 hour') END",
        },
        start=10_000_000,
    )
    pubs, rows = [], []
    for i, account in enumerate(accounts):
        every = 2 + i % 4  # every 2–5 days: some accounts fall behind their plan
        pubs += [
            seeding.push(
                account,
                datetime(YEAR, 11, 1 + d, 18, tzinfo=_tz()),
                articles=3,
                originals=1 + i % 3,
                ref=f"many:{d}",
            )
            for d in range(0, 30, every)
        ]
        for d in range(30):
            if (i + d) % 29 == 0:
                continue
            rows += seeding.stats_day(
                account,
                date(YEAR, 11, 1 + d),
                new=(10 + i % 7,),
                cancel=(3,),
                followers=5000 + d * 10,
                reads=200 + i,
                shares=5,
            )
    Publication.objects.bulk_create(pubs, batch_size=5000)
    DatacubeRow.objects.bulk_create(rows, batch_size=5000)


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


# --- the naive computation -------------------------------------------------------------------
def _secs(start, end) -> int:
    """A duration in whole seconds, negatives as 0 (the definition the indicators use)."""
    return max(0, math.floor((end - start).total_seconds()))


def _q(value, places="0.01"):
    return (
        None
        if value is None
        else Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    )


def naive(account_ids: list[int], start: date, end: date, now: datetime) -> dict[int, dict]:
    """Every row into Python, then the same definitions as zhengwei.performance.measures."""
    from zhengwei.interactions.models import Conversation
    from zhengwei.performance.measures import bounds
    from zhengwei.performance.models import Publication
    from zhengwei.reports.models import CITIZEN_CHANNELS, Report
    from zhengwei.wechat.outbound.models import DatacubeRow

    t0, t1 = bounds(start, end)
    t_end = min(t1, now)
    out: dict[int, dict] = {pk: {} for pk in account_ids}
    # Rows as plain tuples (the naive way, but not burdened with building model objects).
    from types import SimpleNamespace as NS

    convs = defaultdict(list)
    for pk, created, first, resolved, due, escalated in (
        Conversation.objects.filter(
            account_id__in=account_ids, created_at__gte=t0, created_at__lt=t1
        )
        .exclude(state="converted")
        .values_list(
            "account_id",
            "created_at",
            "first_response_at",
            "resolved_at",
            "resolution_due",
            "escalated_at",
        )
        .iterator(chunk_size=20000)
    ):
        convs[pk].append(
            NS(
                created_at=created,
                first_response_at=first,
                resolved_at=resolved,
                resolution_due=due,
                escalated_at=escalated,
            )
        )
    over90 = defaultdict(int)
    for pk, created in (
        Conversation.objects.filter(
            account_id__in=account_ids, state__in=["new", "open"], first_response_at__isnull=True
        )
        .values_list("account_id", "created_at")
        .iterator(chunk_size=20000)
    ):
        if created < t_end - timedelta(days=90):
            over90[pk] += 1
    reps = defaultdict(list)
    for pk, state, channel, submitted, ack, resolved, due in (
        Report.objects.filter(account_id__in=account_ids, created_at__gte=t0, created_at__lt=t1)
        .values_list(
            "account_id",
            "state",
            "channel",
            "submitted_at",
            "first_ack_at",
            "resolved_at",
            "due_at",
        )
        .iterator(chunk_size=20000)
    ):
        reps[pk].append(
            NS(
                state=state,
                channel=channel,
                submitted_at=submitted,
                first_ack_at=ack,
                resolved_at=resolved,
                due_at=due,
            )
        )
    pubs = defaultdict(list)
    for p in Publication.objects.filter(account_id__in=account_ids, ok=True).order_by(
        "published_at"
    ):
        pubs[p.account_id].append(p)
    cube = defaultdict(list)
    for row in DatacubeRow.objects.filter(
        account_id__in=account_ids, ref_date__gte=start, ref_date__lt=end
    ):
        cube[row.account_id].append(row)

    def med(v):
        return round(statistics.median(v), 1) if v else None

    for pk in account_ids:
        o = out[pk]
        cs = convs[pk]
        firsts = [_secs(c.created_at, c.first_response_at) for c in cs if c.first_response_at]
        o["msg_first_response_time"] = _q(med(firsts) / 3600) if firsts else None
        in_time = sum(1 for c in cs if c.resolved_at and c.resolved_at <= c.resolution_due)
        due = sum(1 for c in cs if c.resolved_at or c.resolution_due <= now)
        o["msg_resolved_in_sla"] = _q(in_time / due * 100, "0.1") if due else None
        esc = [_secs(c.created_at, c.escalated_at) for c in cs if c.escalated_at]
        o["office_escalation_latency"] = _q(med(esc) / 3600) if esc else None
        o["msg_overdue_90d"] = Decimal(over90[pk])
        rs = [r for r in reps[pk] if r.state not in ("duplicate", "referred", "rejected")]
        acks = [
            _secs(r.submitted_at, r.first_ack_at)
            for r in reps[pk]
            if r.channel in CITIZEN_CHANNELS and r.first_ack_at
        ]
        o["report_first_ack_minutes"] = _q(med(acks) / 60, "0.1") if acks else None
        met = sum(1 for r in rs if r.resolved_at and r.resolved_at <= r.due_at)
        missed = sum(
            1
            for r in rs
            if (r.resolved_at and r.resolved_at > r.due_at)
            or (not r.resolved_at and r.due_at <= now)
        )
        o["report_deadline_rate"] = _q(met / (met + missed) * 100, "0.1") if met + missed else None
        ps = [p for p in pubs[pk] if p.published_at < t_end]
        before = [p for p in ps if p.published_at < t0]
        inside = [p for p in ps if p.published_at >= t0]
        gap, prev = timedelta(0), (before[-1].published_at if before else None)
        for p in inside:
            gap = max(gap, p.published_at - (prev or t0))
            prev = p.published_at
        gap = max(gap, t_end - (prev or t0))
        o["days_since_last_post"] = _q(gap.total_seconds() / 86400, "0.1")
        arts = sum(p.article_count for p in inside)
        o["original_ratio"] = (
            _q(Decimal(sum(p.original_count for p in inside)) * 100 / arts, "0.1") if arts else None
        )
        new = cancel = reads = 0
        days = set()
        for row in cube[pk]:
            if row.endpoint == "getusersummary":
                new += int(row.data.get("new_user") or 0)
                cancel += int(row.data.get("cancel_user") or 0)
                days.add(row.ref_date)
            elif row.endpoint == "getusercumulate":
                days.add(row.ref_date)
            elif row.endpoint == "getbizsummary":
                reads += int((row.data.get("detail") or {}).get("read_user") or 0)
        o["follower_net_growth"] = Decimal(new - cancel) if days else None
        o["reads"] = Decimal(reads) if days else None
    return out


def naive_months(account_id: int, start: date, end: date, now: datetime) -> dict:
    """The dashboard's monthly series, the naive way (per row in Python)."""
    from django.utils import timezone

    from zhengwei.interactions.models import Conversation
    from zhengwei.performance.measures import bounds
    from zhengwei.wechat.outbound.models import DatacubeRow

    t0, t1 = bounds(start, end)
    firsts, received = defaultdict(list), defaultdict(int)
    for c in Conversation.objects.filter(
        account_id=account_id, created_at__gte=t0, created_at__lt=t1
    ):
        m = timezone.localtime(c.created_at).strftime("%Y-%m")
        received[m] += 1
        if c.first_response_at:
            firsts[m].append(_secs(c.created_at, c.first_response_at))
    reads = defaultdict(int)
    for row in DatacubeRow.objects.filter(
        account_id=account_id, endpoint="getbizsummary", ref_date__gte=start, ref_date__lt=end
    ):
        reads[row.ref_date.strftime("%Y-%m")] += int(row.data["detail"]["read_user"])
    labels = sorted(received)
    return {
        "received": [received[m] for m in labels],
        "first_median_h": [round(round(statistics.median(firsts[m]), 1) / 3600, 2) for m in labels],
        "reads": [reads[m] for m in labels],
    }


# --- the runs ---------------------------------------------------------------------------------
def timed(fn, repeat: int = 3):
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, result


def main() -> None:
    filled_now = fresh_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from zhengwei.orgs.models import OperationModel, Organisation, OrgKind, WeChatAccount
    from zhengwei.performance import measures, selectors
    from zhengwei.performance.scoring import AT_LEAST, AT_MOST, MUST_HOLD, Level
    from zhengwei.performance.services import scorecard_compute
    from zhengwei.performance.services.scorecards import Levels

    User = get_user_model()
    office, _ = Organisation.objects.get_or_create(
        name="基准测试防汛办", defaults={"kind": OrgKind.OFFICE}
    )
    contractor, _ = Organisation.objects.get_or_create(
        name="基准测试传媒", defaults={"kind": OrgKind.CONTRACTOR}
    )

    def account(n: int, model=OperationModel.DELEGATED) -> WeChatAccount:
        return WeChatAccount(
            office=office,
            contractor=contractor,
            name=f"基准账号{n:03d}",
            original_id=f"gh_bench{n:07d}",
            app_id=f"wxbench{n:011d}",
            token="benchtoken123",
            encoding_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            operation_model=model,
        )

    if filled_now:
        print(
            f"» filling: 1 busy account ({N_MESSAGES:,} messages, {N_REPORTS:,} reports, 600 pushes / 2,000 articles, "
            f"daily statistics) and {N_ACCOUNTS} accounts × one month …",
            flush=True,
        )
        t = time.perf_counter()
        busy = account(0)
        busy.save()
        fill_busy(busy)
        models = list(OperationModel)
        many = WeChatAccount.objects.bulk_create(
            [account(i + 1, models[i % 3]) for i in range(N_ACCOUNTS)]
        )
        fill_many(many)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"  filled in {time.perf_counter() - t:.0f} s", flush=True)
    busy = WeChatAccount.objects.get(original_id="gh_bench0000000")
    many = list(
        WeChatAccount.objects.exclude(pk=busy.pk)
        .filter(original_id__startswith="gh_bench")
        .order_by("pk")
    )
    root = User.objects.filter(username="benchroot").first() or User.objects.create_superuser(
        "benchroot", password="x"
    )
    now = datetime(YEAR + 1, 1, 15, 12, tzinfo=_tz())
    table = Levels(
        None,
        "基准合同",
        [
            Level("days_since_last_post", Decimal(15), Decimal(13), AT_MOST, veto=True),
            Level("original_ratio", Decimal(10), Decimal(60), AT_LEAST),
            Level("interaction_channel_ok", Decimal(10), Decimal(1), MUST_HOLD),
            Level("msg_first_response_time", Decimal(15), Decimal(8), AT_MOST),
            Level("msg_resolved_in_sla", Decimal(15), Decimal(95), AT_LEAST),
            Level("office_escalation_latency", Decimal(10), Decimal(2), AT_MOST),
            Level("msg_overdue_90d", Decimal(5), Decimal(0), AT_MOST),
            Level("follower_net_growth", Decimal(10), Decimal(2000), AT_LEAST),
            Level("volume_vs_plan", Decimal(10), Decimal(100), AT_LEAST),
        ],
    )
    y0, y1 = date(YEAR, 1, 1), date(YEAR + 1, 1, 1)
    lines = [f"# bench/run scorecards — {datetime.now():%Y-%m-%d %H:%M}", ""]

    def report(name, ours, theirs, target, agree):
        ratio = theirs / ours if ours else float("inf")
        ok = "met" if ours <= target else "MISSED"
        line = (
            f"{name:<44} zhengwei {ours:7.2f} s   naive per-row {theirs:7.2f} s   "
            f"{ratio:5.1f}× faster   target ≤ {target:.0f} s: {ok}   numbers agree: {agree}"
        )
        print(line, flush=True)
        lines.append(f"- {line}")

    # 0. The monthly job keeps the closed months' figures (performance_tick, once per month).
    from zhengwei.performance.models import MonthFigures, Scorecard
    from zhengwei.performance.services import month_figures_store

    MonthFigures.objects.all().delete()
    keep_t, kept = timed(lambda: month_figures_store(now=now), repeat=1)
    line = (
        f"monthly job: {kept} account-months kept in {keep_t:.2f} s "
        f"(performance_tick, once a month is over; what the reads below save)"
    )
    print(line, flush=True)
    lines.append(f"- {line}")

    # 1. The full-year scorecard.

    def compute():
        Scorecard.objects.filter(account=busy, period="year").delete()
        return scorecard_compute(
            actor=root, account=busy, period="year", day=y0, now=now, table=table
        )

    ours_t, card = timed(compute)
    naive_t, nv = timed(lambda: naive([busy.pk], y0, y1, now)[busy.pk], repeat=1)
    fast = measures.measure_account(busy, y0, y1, now=now)
    codes = [c for c in nv if c in fast]
    diffs = [(c, fast[c].value, nv[c]) for c in codes if fast[c].value != nv[c]]
    report(
        "full-year scorecard (1 busy account)",
        ours_t,
        naive_t,
        TARGETS["scorecard"],
        "yes" if not diffs else f"NO {diffs}",
    )
    print(
        f"  score {card.total} ({card.get_band_display()}), {len(codes)} indicators compared",
        flush=True,
    )

    # 2. The dashboard's first paint: the page, then the data the charts draw.
    client = Client()
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")

    def paint():
        page = client.get(f"/performance/dashboard/?account={busy.pk}&year={YEAR}")
        data = client.get(f"/performance/dashboard.json?account={busy.pk}&year={YEAR}")
        assert page.status_code == 200 and data.status_code == 200
        return data.json()

    from zhengwei.performance import dashboard as charts

    dash_t, _ = timed(paint)
    months_t, months = timed(lambda: charts.account_months(busy, y0, y1, now=now))
    naive_d_t, nm = timed(lambda: naive_months(busy.pk, y0, y1, now), repeat=1)
    agree = (
        months["messages"]["received"] == nm["received"]
        and months["messages"]["first_median_h"] == nm["first_median_h"]
        and months["audience"]["reads"] == nm["reads"]
    )
    report(
        "dashboard first paint (page + chart data)",
        dash_t,
        naive_d_t,
        TARGETS["dashboard"],
        "yes" if agree else "NO",
    )
    compare_t, _ = timed(lambda: client.get("/performance/compare.json").json(), repeat=1)
    print(
        f"  of which the busy account's 12 months: {months_t:.2f} s; then (after the first paint) "
        f"the comparison across all {len(many) + 1} accounts: {compare_t:.2f} s",
        flush=True,
    )

    # 3. 500 accounts × one month: indicators and ranking.
    m0, m1 = date(YEAR, 11, 1), date(YEAR, 12, 1)

    def rank():
        rows = selectors.overview(user=root, start=m0, end=m1, now=now)
        return rows

    many_t, rows = timed(rank, repeat=2)
    naive_m_t, nvm = timed(lambda: naive([a.pk for a in many], m0, m1, now), repeat=1)
    fast_m = measures.measure_accounts(many, m0, m1, now=now)
    bad = [
        (a.pk, c)
        for a in many
        for c in nvm[a.pk]
        if c in fast_m[a.pk] and fast_m[a.pk][c].value != nvm[a.pk][c]
    ]
    report(
        f"{len(many)} accounts × one month, indicators + ranking",
        many_t,
        naive_m_t,
        TARGETS["accounts"],
        "yes" if not bad else f"NO ({len(bad)} differ, e.g. {bad[:3]})",
    )
    print(
        f"  ranked {len(rows)} accounts; first: {rows[0].account.name} ({rows[0].missed} indicators missed)",
        flush=True,
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"scorecards-{datetime.now():%Y%m%d-%H%M}.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"» written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
