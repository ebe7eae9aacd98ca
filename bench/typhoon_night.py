"""`bench/run typhoon-night`: the typhoon-night load test (issue #9, "Load").

A locust run (headless, loopback, bounded in time; users in bench/locustfile.py) against zhengwei on
PostgreSQL as docs/deploy.md lays it out — gunicorn with 2 web workers, 2 task workers, the
scheduler — mixing WeChat callbacks, H5 report submissions with a photo, signed-in duty officers
browsing the console and the inbox, and the operator publishing (发表) prepared pushes through the
simulated WeChat. Halfway through, the database restarts: zhengwei reaches PostgreSQL through the
TCP fault proxy (zhengwei/testing/faultproxy.py), which drops every connection and refuses new ones
for BENCH_NIGHT_DOWN seconds, as ``pg_ctl restart`` does to its clients — the shared server the
other engineers use is never touched. The simulated WeChat keeps its own database, directly: it is
not zhengwei and does not restart.

Printed and written to bench/results/typhoon-night-<date>.md:

* throughput (requests/s) and p50 / p99 latency per kind of request, and failures per kind;
* zero lost records: every callback answered 200 is stored, every H5 report answered with its
  ticket is stored with its photo, every push the operator sent is recorded as sent; none twice;
* recovery: from the database coming back to the first success of each kind after it, and to the
  last failure; whether every process is still running.

Environment (defaults in brackets): BENCH_NIGHT_SECONDS [90], BENCH_NIGHT_USERS [24],
BENCH_NIGHT_SPAWN_RATE [8], BENCH_NIGHT_DOWN [5] (seconds the database is unreachable),
BENCH_NIGHT_PUSHES [20] (pushes prepared for the operator), BENCH_PG_URL.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import Stack, env_int, free_port, manage, pct, recreate_pg_database, stack_env  # noqa: E402

RESULTS = ROOT / "bench" / "results"
VAR_DIR = RESULTS / "typhoon-night-var"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB, SIM_DB = "zhengwei_bench_night", "zhengwei_bench_night_sim"


SECONDS = env_int("BENCH_NIGHT_SECONDS", 90)
USERS = env_int("BENCH_NIGHT_USERS", 24)
SPAWN_RATE = env_int("BENCH_NIGHT_SPAWN_RATE", 8)
DOWN = env_int("BENCH_NIGHT_DOWN", 5)
N_PUSHES = env_int("BENCH_NIGHT_PUSHES", 20)


def log(msg: str) -> None:
    print(f"[typhoon-night {datetime.now():%H:%M:%S}] {msg}", flush=True)


def prepare_pushes(n: int) -> list[int]:
    """Pushes the operator will publish: one approved article each, as the newsroom's chain
    leaves them (writer → editor → reviewer → leader), planned for tonight."""
    from django.utils import timezone

    from zhengwei.demo.constants import ORIGINAL_ID
    from zhengwei.newsroom import services
    from zhengwei.orgs.models import User, WeChatAccount
    from zhengwei.simulator.citizen import sample_photo

    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    people = {u: User.objects.get(username=u) for u in ("writer", "editor", "reviewer", "leader")}
    operator = User.objects.get(username="operator")
    # The cover is uploaded to the simulated WeChat (it must know the media id).
    cover = services.image_upload(
        actor=people["writer"], account=account, data=sample_photo(seed=7), cover=True
    )
    pushes = []
    for i in range(n):
        article = services.article_create(
            actor=people["writer"],
            account=account,
            title=f"台风夜第{i + 1}号防御提示",
            author="赵记者",
            is_original=True,
            body_html="<p>请广大群众关注预警信息，远离危险区域，听从转移安排。</p>",
        )
        services.article_save(actor=people["writer"], article=article, cover=cover)
        services.article_submit(actor=people["writer"], article=article)
        for role in ("editor", "reviewer", "leader"):
            services.review_approve(
                actor=people[role], step=article.steps.get(state="pending"), comment="同意"
            )
        push = services.push_plan(
            actor=operator, account=account, title=article.title, planned_for=timezone.localdate()
        )
        services.push_set_articles(actor=operator, push=push, articles=[article])
        pushes.append(push.pk)
    return pushes


def main() -> int:
    from zhengwei.testing.faultproxy import FaultProxy

    started = datetime.now()
    recreate_pg_database(PG_URL, PG_DB)
    recreate_pg_database(PG_URL, SIM_DB)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    for spool in (VAR_DIR / "spool" / "wechat").glob("*"):
        spool.unlink()
    host, port = PG_URL.rsplit("@", 1)[-1].split(":")
    proxy = FaultProxy(host, int(port.split("/")[0]))
    proxy.__enter__()
    web_port, sim_port = free_port(), free_port()
    web, sim = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{sim_port}"
    proxied = f"{PG_URL.rsplit('@', 1)[0]}@127.0.0.1:{proxy.port}/{PG_DB}"
    env = stack_env(
        proxied,
        VAR_DIR,
        web,
        sim,
        SIMULATOR_DATABASE_URL=f"{PG_URL}/{SIM_DB}",
        # One phone number and one address (loopback) send every H5 report of the test.
        REPORT_RATE_LIMIT_IP="100000",
        REPORT_RATE_LIMIT="100000",
        SECURITY_LEVEL="2",
        # The simulated WeChat reports a publish done after 1 s (its default: 3 s).
        SIMULATOR_LIMITS='{"publish": {"delay_seconds": 1}}',
    )
    setup_env = {**env, "DATABASE_URL": f"{PG_URL}/{PG_DB}"}
    log(f"PostgreSQL {PG_DB} through the fault proxy on port {proxy.port}; seeding the demo")
    for args in (("migrate", "--noinput", "-v", "0"), ("createcachetable",), ("seed_demo",)):
        manage(setup_env, *args)
    manage(setup_env, "sim_seed", "--migrate", "-v", "0")
    os.environ.update(setup_env)
    import django

    django.setup()
    from django.db import connections

    from zhengwei.simulator.citizen import sample_photo

    photo = RESULTS / "typhoon-night-photo.jpg"
    photo.write_bytes(sample_photo(seed=3))
    stack = Stack(
        env,
        name="typhoon-night",
        web_port=web_port,
        sim_port=sim_port,
        web_workers=2,
        threads=8,
        task_workers=2,
        scheduler=True,
    )
    stack.start()
    pushes = prepare_pushes(N_PUSHES)
    requests_log = RESULTS / "typhoon-night-requests.jsonl"
    accepted_file = RESULTS / "typhoon-night-accepted.json"
    locust_env = {
        **env,
        "BENCH_NIGHT_REQUESTS": str(requests_log),
        "BENCH_NIGHT_ACCEPTED": str(accepted_file),
        "BENCH_NIGHT_PHOTO": str(photo),
        "BENCH_NIGHT_PUSHES": ",".join(map(str, pushes)),
        "PYTHONPATH": str(ROOT),
    }
    fault: dict[str, float] = {}

    def restart_database() -> None:
        time.sleep(SECONDS / 2)
        fault["down"] = time.time()
        log(f"the database goes away ({proxy.open_connections} connections cut) for {DOWN} s")
        proxy.down()
        time.sleep(DOWN)
        proxy.up()
        fault["up"] = time.time()
        log("the database is back")

    try:
        log(f"locust: {USERS} users for {SECONDS} s; the database restarts at {SECONDS // 2} s")
        restarter = threading.Thread(target=restart_database, daemon=True)
        locust = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                web,
                "--users",
                str(USERS),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                f"{SECONDS}s",
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            stdout=(RESULTS / "logs" / "typhoon-night-locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        restarter.start()
        locust.wait(SECONDS + 60)
        restarter.join()
        alive = stack.alive()
        # Let the workers finish and the spool empty before counting.
        time.sleep(15)
        result = check(requests_log, accepted_file, fault, alive, pushes)
    finally:
        stack.stop()
        proxy.close()
        connections.close_all()
    text = report(result, started)
    print("\n" + text + "\n", flush=True)
    out = RESULTS / f"typhoon-night-{started:%Y-%m-%d-%H%M}.md"
    out.write_text(text + "\n", encoding="utf-8")
    log(f"written {out.relative_to(ROOT)}")
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 else 1


def check(requests_log: Path, accepted_file: Path, fault, alive, pushes) -> dict:
    from django.db import connection

    from zhengwei.newsroom.models import Push
    from zhengwei.reports.models import Report, ReportPhoto
    from zhengwei.wechat.inbound.models import InboundMessage

    connection.close()  # the orchestrator's own connection went through no proxy; fresh anyway
    rows = [json.loads(line) for line in requests_log.read_text().splitlines() if line.strip()]
    accepted = json.loads(accepted_file.read_text())
    t0 = min(r["t"] for r in rows)
    t1 = max(r["t"] for r in rows)
    kinds: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        kinds[r["kind"]].append(r)
    per_kind = {}
    for kind, rs in sorted(kinds.items()):
        ms = [r["ms"] for r in rs]
        fails = [r for r in rs if not r["ok"]]
        after = [r for r in rs if r["t"] >= fault.get("up", t1)]
        first_ok = next((r["t"] for r in sorted(after, key=lambda r: r["t"]) if r["ok"]), None)
        last_fail = max((r["t"] for r in fails), default=None)
        per_kind[kind] = {
            "n": len(rs),
            "rps": len(rs) / max(1e-9, t1 - t0),
            "p50": statistics.median(ms),
            "p99": pct(ms, 0.99),
            "failed": len(fails),
            "first_ok_after_up": None if first_ok is None else first_ok - fault["up"],
            # Failures that all ended before the database came back count as none after it.
            "last_fail_after_up": None
            if last_fail is None or "up" not in fault or last_fail < fault["up"]
            else last_fail - fault["up"],
        }
    # Callbacks: every (FromUserName, MsgId) answered 200 is stored exactly once.
    answered = {tuple(c) for c in accepted["callbacks"]}
    msg_ids = [m for _u, m in answered]
    stored = set()
    for i in range(0, len(msg_ids), 5000):
        stored |= set(
            InboundMessage.objects.filter(msg_id__in=msg_ids[i : i + 5000]).values_list(
                "from_user", "msg_id"
            )
        )
    twice = 0
    for i in range(0, len(msg_ids), 5000):
        from django.db.models import Count

        twice += (
            InboundMessage.objects.filter(msg_id__in=msg_ids[i : i + 5000])
            .values("account_id", "from_user_index", "msg_id")  # the openid is sealed
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
    lost_callbacks = len(answered - stored)
    # H5 reports: the ticket the citizen was shown exists, with its photo.
    tickets = [t for _m, t in accepted["reports"]]
    found = set(Report.objects.filter(ticket__in=tickets).values_list("ticket", flat=True))
    with_photo = set(
        ReportPhoto.objects.filter(report__ticket__in=tickets).values_list(
            "report__ticket", flat=True
        )
    )
    lost_reports = len(set(tickets) - found)
    # Pushes the operator sent: recorded as sent (or published) — not left as drafts.
    sent = dict(Push.objects.filter(pk__in=accepted["pushes"]).values_list("pk", "state"))
    not_sent = [pk for pk in accepted["pushes"] if sent.get(pk) in (None, "draft", "planned")]
    return {
        "duration": t1 - t0,
        "requests": len(rows),
        "per_kind": per_kind,
        "fault": fault,
        "callbacks": (len(answered), len(answered & stored), twice),
        "reports": (len(set(tickets)), len(found), len(with_photo & set(tickets))),
        "pushes": (len(accepted["pushes"]), len(pushes), dict(_count(sent.values()))),
        "lost": lost_callbacks + lost_reports + len(not_sent),
        "duplicated": twice,
        "alive": alive,
    }


def _count(values) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for v in values:
        out[v] += 1
    return out


def _sec(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def report(r: dict, started: datetime) -> str:
    cb, rep, push = r["callbacks"], r["reports"], r["pushes"]
    lines = [
        f"# Typhoon night ({started:%Y-%m-%d %H:%M})",
        "",
        f"locust, {USERS} users, {SECONDS} s (headless, loopback), against zhengwei on PostgreSQL "
        "(gunicorn 2 workers × 8 threads, 2 db_worker, the scheduler); the database unreachable "
        f"for {DOWN} s halfway (every connection cut, new ones refused, through the fault proxy). "
        f"{r['requests']:,} requests in {r['duration']:.0f} s, "
        f"{r['requests'] / max(1e-9, r['duration']):,.0f} requests/s in all.",
        "",
        "| kind | requests | req/s | p50 ms | p99 ms | failed | first success after the "
        "database is back | last failure after it |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, k in r["per_kind"].items():
        lines.append(
            f"| {kind} | {k['n']:,} | {k['rps']:.1f} | {k['p50']:.0f} | {k['p99']:.0f} "
            f"| {k['failed']} | {_sec(k['first_ok_after_up'])} | {_sec(k['last_fail_after_up'])} |"
        )
    recovery = max(
        (k["last_fail_after_up"] or 0.0 for k in r["per_kind"].values()),
        default=0.0,
    )
    lines += [
        "",
        "| record | accepted | stored | check |",
        "|---|---:|---:|---|",
        f"| callbacks answered 200 | {cb[0]:,} | {cb[1]:,} | lost {cb[0] - cb[1]}, "
        f"stored twice {cb[2]} |",
        f"| H5 reports answered with a ticket | {rep[0]:,} | {rep[1]:,} | lost {rep[0] - rep[1]}, "
        f"with their photo {rep[2]:,} |",
        f"| pushes published by the operator | {push[0]} (of {push[1]} prepared) | "
        f"{sum(push[2].values())} | states: "
        + ", ".join(f"{k} {v}" for k, v in sorted(push[2].items()))
        + " |",
        "",
        f"**Lost records: {r['lost']}; duplicated: {r['duplicated']}.** Recovery: the last "
        f"failed request came {recovery:.1f} s after the database was back. Processes still "
        "running at the end: "
        + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in r["alive"].items())
        + ".",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
