"""`bench/run processing`: messages stored *and processed*, end to end (issue #9, "Load").

The callback benchmark stops at "stored". Here a burst of citizens' chat goes through the whole
path on each database: the callback stores it, the task workers claim and dispatch it — the chat
intake of 我报灾情 (a draft opened by 我要报灾, a description, 确认 → a report), the 互动 inbox
(a question nobody answers automatically), the automatic answers (雨情 from the flood data) — and
the customer-service replies the intake writes are queued and sent to the simulated WeChat.

Printed per database: the burst's callback rate, the rate the workers sustain (messages processed
per second from the first stored to the last processed), and the processing lag (stored →
processed) p50 / p95 / max, with what the processing produced (reports, inbox conversations,
customer-service messages queued and sent, failures).

Each database runs in a child process of its own (Django is set up once per process), as ./run
(SQLite: 1 task worker) and docs/deploy.md (PostgreSQL: 2 task workers) start zhengwei.

Environment (defaults in brackets): BENCH_PROCESSING_DATABASES [sqlite,postgresql],
BENCH_PROCESSING_CITIZENS [300] (each sends 5 messages), BENCH_PROCESSING_SENDERS [32] (citizens
sending at once), BENCH_PROCESSING_TASK_WORKERS [1 on SQLite, 2 on PostgreSQL], BENCH_WORKERS [2]
and BENCH_ZHENGWEI_THREADS [16] (gunicorn), BENCH_PROCESSING_DRAIN [300] (seconds to wait for the
workers after the burst), BENCH_PG_URL. Results: bench/results/processing-<date>.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import Stack, env_int, free_port, manage, pct, recreate_pg_database, stack_env  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = "zhengwei_bench_processing"


CITIZENS = env_int("BENCH_PROCESSING_CITIZENS", 300)
SENDERS = env_int("BENCH_PROCESSING_SENDERS", 32)
WEB_WORKERS = env_int("BENCH_WORKERS", 2)
THREADS = env_int("BENCH_ZHENGWEI_THREADS", 16)
DRAIN = env_int("BENCH_PROCESSING_DRAIN", 300)
DATABASES = [
    d.strip()
    for d in os.environ.get("BENCH_PROCESSING_DATABASES", "sqlite,postgresql").split(",")
    if d.strip()
]

# One citizen's conversation: what each message sets off in the processing step.
SCRIPT = [
    (
        "我要报灾",
        "chat intake: a draft opens, the instructions go out as a customer-service message",
    ),
    ("小区地下车库进水，水位还在涨", "chat intake: the description joins the draft"),
    ("确认", "chat intake: the report is created and the reporter told its ticket"),
    ("请问明天学校停课吗？", "互动 inbox: a conversation waits for the duty officer"),
    ("雨情", "automatic answer from the flood data (passive reply; nothing waits)"),
]


def log(msg: str) -> None:
    print(f"[processing {datetime.now():%H:%M:%S}] {msg}", flush=True)


# --------------------------------------------------------------------------- one database
def run_one(engine: str) -> dict:
    """In a child process: start the stack on ``engine``, send the burst, measure."""
    var_dir = RESULTS / f"processing-{engine}-var"
    var_dir.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        db_file = var_dir / "zhengwei.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{var_dir / 'simulator.sqlite3'}{suffix}").unlink(missing_ok=True)
        database_url, task_workers = f"sqlite:///{db_file}", 1
    else:
        recreate_pg_database(PG_URL, PG_DB)
        database_url, task_workers = f"{PG_URL}/{PG_DB}", 2
    task_workers = env_int("BENCH_PROCESSING_TASK_WORKERS", task_workers)
    web_port, sim_port = free_port(), free_port()
    env = stack_env(
        database_url, var_dir, f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{sim_port}"
    )
    log(f"{engine}: migrate, seed the demo and the simulator")
    for args in (("migrate", "--noinput", "-v", "0"), ("createcachetable",), ("seed_demo",)):
        manage(env, *args)
    manage(env, "sim_seed", "--migrate", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    from django.db.models import Count

    from zhengwei.interactions.models import Conversation
    from zhengwei.reports.models import Report
    from zhengwei.simulator.citizen import Citizen
    from zhengwei.wechat.inbound.models import InboundMessage, State
    from zhengwei.wechat.outbound.models import OutboundMessage

    stack = Stack(
        env,
        name=f"processing-{engine}",
        web_port=web_port,
        sim_port=sim_port,
        web_workers=WEB_WORKERS,
        threads=THREADS,
        task_workers=task_workers,
    )
    stack.start()
    try:
        log(f"{engine}: {CITIZENS} citizens follow the account")
        with ThreadPoolExecutor(SENDERS) as pool:
            citizens = list(pool.map(lambda i: Citizen.new(nickname=f"端到端{i}"), range(CITIZENS)))
        openids = [c.openid for c in citizens]
        # The follows are processed before the burst starts, so the burst is measured alone.
        _wait_processed(InboundMessage, State, openids, CITIZENS, 120)
        floor = InboundMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
        outbound_floor = OutboundMessage.objects.order_by("-id").values_list("id", flat=True)
        outbound_floor = outbound_floor.first() or 0
        statuses: list[int | None] = []
        lock = threading.Lock()

        def converse(citizen) -> None:
            mine = [
                citizen.transmit(citizen.message("text", Content=text)).status for text, _ in SCRIPT
            ]
            with lock:
                statuses.extend(mine)

        n_messages = CITIZENS * len(SCRIPT)
        log(f"{engine}: the burst, {n_messages} messages, {SENDERS} citizens at a time")
        t0 = time.monotonic()
        with ThreadPoolExecutor(SENDERS) as pool:
            list(pool.map(converse, citizens))
        burst = time.monotonic() - t0
        log(f"{engine}: sent in {burst:.1f} s; waiting for the workers")
        burst_rows = InboundMessage.objects.filter(id__gt=floor, from_user__in=openids)
        _wait_processed(InboundMessage, State, openids, n_messages, DRAIN, floor=floor)
        rows = list(burst_rows.values_list("received_at", "processed_at", "state"))
        done = [(r, p) for r, p, s in rows if s == State.PROCESSED and p is not None]
        lags = [(p - r).total_seconds() for r, p in done]
        first_stored = min(r for r, _p, _s in rows) if rows else None
        last_processed = max(p for _r, p in done) if done else None
        span = (last_processed - first_stored).total_seconds() if done else 0.0
        replies = OutboundMessage.objects.filter(id__gt=outbound_floor, openid__in=openids)
        # The customer-service replies the processing queued go out through the same workers.
        deadline = time.monotonic() + DRAIN
        while time.monotonic() < deadline and replies.filter(state__in=("queued", "sending")):
            time.sleep(0.5)
        outbound = dict(
            replies.values_list("state").annotate(n=Count("id")).values_list("state", "n")
        )
        sent_times = [
            (sent - created).total_seconds()
            for created, sent in replies.filter(sent_at__isnull=False).values_list(
                "created_at", "sent_at"
            )
        ]
        last_sent = replies.filter(sent_at__isnull=False).order_by("-sent_at").first()
        return {
            "engine": engine,
            "task_workers": task_workers,
            "messages": n_messages,
            "non_200": sum(1 for s in statuses if s != 200),
            "stored": len(rows),
            "processed": len(done),
            "failed": sum(1 for _r, _p, s in rows if s == State.FAILED),
            "unprocessed": sum(1 for _r, _p, s in rows if s in (State.RECEIVED, State.PROCESSING)),
            "burst_s": burst,
            "ingest_rate": len(rows) / burst if burst else 0.0,
            "sustained_rate": len(done) / span if span else 0.0,
            "span_s": span,
            "lag_p50": statistics.median(lags) if lags else None,
            "lag_p95": pct(lags, 0.95) if lags else None,
            "lag_max": max(lags) if lags else None,
            "reports": Report.objects.filter(reporter_openid__in=openids).count(),
            "conversations": Conversation.objects.filter(openid__in=openids).count(),
            "outbound": outbound,
            "reply_p95": pct(sent_times, 0.95) if sent_times else None,
            "all_sent_s": (last_sent.sent_at - first_stored).total_seconds() if last_sent else None,
            "alive": stack.alive(),
        }
    finally:
        stack.stop()


def _wait_processed(InboundMessage, State, openids, expected, seconds, floor=0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = InboundMessage.objects.filter(id__gt=floor, from_user__in=openids)
        if (
            rows.count() >= expected
            and not rows.filter(state__in=(State.RECEIVED, State.PROCESSING)).exists()
        ):
            return
        time.sleep(0.5)


# --------------------------------------------------------------------------- the report
def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def report(results: list[dict], started: datetime, conditions: str) -> str:
    lines = [
        f"# Stored and processed, end to end ({started:%Y-%m-%d %H:%M})",
        "",
        f"{CITIZENS} citizens × {len(SCRIPT)} messages ({', '.join(t for t, _ in SCRIPT)}), "
        f"{SENDERS} citizens sending at once through the simulator's signing; gunicorn "
        f"{WEB_WORKERS}×{THREADS} gthread (the lean callback), the simulated WeChat, db_worker. "
        f"{conditions}",
        "",
        "| database | task workers | messages | callbacks/s (burst) | processed/s sustained "
        "| lag p50 | lag p95 | lag max | processed / stored (failed, left) | reports | 互动 "
        "conversations | customer-service replies (state) | reply queued → sent p95 "
        "| burst start → last reply sent | non-200 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        outbound = ", ".join(f"{k} {v}" for k, v in sorted(r["outbound"].items())) or "none"
        lines.append(
            f"| {r['engine']} | {r['task_workers']} | {r['messages']:,} | {r['ingest_rate']:,.0f} "
            f"| **{r['sustained_rate']:,.0f}** | {_s(r['lag_p50'])} | **{_s(r['lag_p95'])}** "
            f"| {_s(r['lag_max'])} | {r['processed']:,} / {r['stored']:,} ({r['failed']}, "
            f"{r['unprocessed']}) | {r['reports']} | {r['conversations']} | {outbound} "
            f"| {_s(r['reply_p95'])} | {_s(r['all_sent_s'])} | {r['non_200']} |"
        )
    lines += [
        "",
        "Lag: a message's `processed_at − received_at` (stored by the callback → its handlers "
        "committed by a task worker). Sustained rate: messages processed ÷ (last processed − "
        "first stored), i.e. what the workers kept up with while the burst arrived faster.",
    ]
    for r in results:
        dead = [k for k, up in r["alive"].items() if not up]
        if dead:
            lines.append(f"\n{r['engine']}: processes that died during the run: {', '.join(dead)}")
    return "\n".join(lines)


def _busy_share(seconds: float = 2.0) -> float:
    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values) - values[3] - values[4], sum(values)

    b0, t0 = sample()
    time.sleep(seconds)
    b1, t1 = sample()
    return 100 * (b1 - b0) / max(1, t1 - t0)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        Path(argv[2]).write_text(json.dumps(run_one(argv[1]), default=str))
        return 0
    started = datetime.now()
    busy = _busy_share()
    results = []
    for engine in DATABASES:
        out = RESULTS / f"processing-{engine}.json"
        out.unlink(missing_ok=True)
        child = subprocess.run([sys.executable, __file__, "--child", engine, str(out)], cwd=ROOT)
        if child.returncode or not out.exists():
            log(f"{engine}: FAILED")
            continue
        results.append(json.loads(out.read_text()))
    conditions = (
        f"Machine: {os.cpu_count()} CPUs shared with other work; {busy:.0f}% of the CPU was busy "
        "just before the run (load generator, servers and database all on this machine)."
    )
    text = report(results, started, conditions)
    print("\n" + text + "\n", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out_file = RESULTS / f"processing-{started:%Y-%m-%d-%H%M}.md"
    out_file.write_text(text + "\n", encoding="utf-8")
    log(f"written {out_file.relative_to(ROOT)}")
    return 0 if len(results) == len(DATABASES) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
