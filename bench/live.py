"""The public live page (图文直播) under many readers, while a reporter posts, against named peers.

One gunicorn serving ``zhengwei.wsgi`` (2 workers × 16 threads, the ./run defaults) on
PostgreSQL, loopback, wrk with 64 connections. In one run, each for BENCH_DURATION seconds:

- ``live``: GET /live/<slug>/ — the page as zhengwei serves it: the lean WSGI path
  (zhengwei/newsroom/live_fast.py) answers from the copy in the shared cache (the database cache
  table, as a default installation has no Redis), before Django's middleware;
- ``live-conditional``: the same with If-None-Match, each wrk thread keeping the last ETag it
  got, as the page's own poller and browsers do (mostly 304);
- ``live-django``: the same page and cached copy through Django's full stack (a query string
  sends the request past the lean path), i.e. how the page was served before the lean path;
- ``live-redis`` / ``live-redis-conditional``: as ``live`` with REDIS_URL set;
- ``live-uncached`` (peer): the same view in a second gunicorn whose cache is Django's
  DummyCache, so every request queries and renders the page, i.e. an uncached render;
- ``static`` (peer): a static file (live.css) from the same server (WhiteNoise), the ceiling
  of Django's stack on this machine.

Meanwhile a "reporter" adds an approved entry every BENCH_POST_EVERY seconds (10) in this
process, as live_entry_post + live_entry_check leave the database (entry row, event changed_at),
so readers keep seeing new versions. Target (issue #10): ≥ 2,000 requests/s with p99 ≤ 100 ms.

    bench/run live                 (BENCH_DURATION=20 BENCH_CONNECTIONS=64 …)
    bench/run live --update-docs   (replace the table in docs/performance.md)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.callback import (  # noqa: E402
    MAIN_PY,
    Server,
    Target,
    gunicorn_argv,
    pg_dsn,
    recreate_pg_database,
    zhengwei_env,
)

BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
DB = "zhengwei_bench_live"
SLUG = "bench-typhoon-night"
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
THREADS = int(os.environ.get("BENCH_ZHENGWEI_THREADS", "16"))
POST_EVERY = float(os.environ.get("BENCH_POST_EVERY", "10"))
ENTRIES = int(os.environ.get("BENCH_LIVE_ENTRIES", "60"))
DOCS = ROOT / "docs" / "performance.md"
DOCS_START, DOCS_END = "<!-- bench:live:start -->", "<!-- bench:live:end -->"


# The run before the lean path (lead, stop 18): the page through Django's full stack.
EARLIER = {"live": 876, "live-redis": 1106, "static": 3444}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def env(uncached: bool = False, redis: bool = False) -> dict[str, str]:
    e = zhengwei_env(pg_dsn(DB))
    e["ZHENGWEI_VAR_DIR"] = str(RESULTS / "live-var")
    e.pop("REDIS_URL", None)
    if uncached:
        e["DJANGO_SETTINGS_MODULE"] = "bench.live_uncached_settings"
    if redis:
        e["REDIS_URL"] = REDIS_URL
    return e


def setup() -> None:
    recreate_pg_database(DB)
    manage = [str(MAIN_PY), str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([*manage, *args], cwd=ROOT, env=env(), check=True)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env(), check=True
    )
    subprocess.run(
        [str(MAIN_PY), str(BENCH / "seed_account.py")],
        cwd=ROOT,
        env=env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def django_here() -> None:
    os.environ.update(env())
    import django

    django.setup()


def seed_event() -> None:
    """The event and its first entries. Written with the ORM: the bench account has no newsroom
    roles, and what is measured is reading."""
    from datetime import timedelta

    from django.utils import timezone

    from bench.keys import ORIGINAL_ID
    from zhengwei.newsroom.models import LiveEntry, LiveEntryState, LiveEvent
    from zhengwei.orgs.models import User, WeChatAccount

    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    reporter = User.objects.get(username="bench-root")
    event = LiveEvent.objects.create(
        account=account, slug=SLUG, title="台风“纳沙”登陆 图文直播", created_by=reporter
    )
    now = timezone.now()
    LiveEntry.objects.bulk_create(
        LiveEntry(
            event=event,
            body=f"{i:02d} 闽江口风力加大，连江县已转移群众{1000 + 37 * i}人，现场抢险队伍到位。",
            state=LiveEntryState.APPROVED,
            posted_by=reporter,
            posted_at=now - (ENTRIES - i) * timedelta(minutes=3),
            checked_by=reporter,
            checked_at=now,
        )
        for i in range(ENTRIES)
    )


class Reporter(threading.Thread):
    """Posts and approves one entry every POST_EVERY seconds until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop_event = threading.Event()
        self.posted = 0

    def run(self) -> None:
        from django.core.cache.backends.redis import RedisCache
        from django.db import connection, transaction
        from django.utils import timezone

        from zhengwei.newsroom.live_cache import live_changed, refresh
        from zhengwei.newsroom.models import LiveEntry, LiveEntryState, LiveEvent

        # The Redis server's copies: the writer refreshes them as a REDIS_URL installation does.
        redis = RedisCache(REDIS_URL, {})

        event = LiveEvent.objects.get(slug=SLUG)
        while not self.stop_event.wait(POST_EVERY):
            now = timezone.now()
            with transaction.atomic():
                LiveEntry.objects.create(
                    event=event,
                    body=f"{now:%H:%M:%S} 现场记者：风雨仍在加强，请市民不要外出。",
                    state=LiveEntryState.APPROVED,
                    posted_by_id=event.created_by_id,
                    posted_at=now,
                    checked_by_id=event.created_by_id,
                    checked_at=now,
                )
                live_changed(event.pk, now=now)  # as live_entry_check does
            refresh(event.pk, store=redis)
            self.posted += 1
        connection.close()


def ready(server: Server, path: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.target.name} exited; see {server.log_path}")
        try:
            with urllib.request.urlopen(server.base + path, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{server.target.name} did not answer {path}; see {server.log_path}")


class LiveServer(Server):
    def start(self) -> None:  # readiness is the live page answering, not URL verification
        self.spawn()
        ready(self, f"/live/{SLUG}/")


def wrk(url: str, seconds: int, conditional: bool = False) -> dict:
    argv = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(BENCH / "live.lua"),
        url,
    ]
    if conditional:
        argv += ["--", "conditional"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    m = re.search(r"^BENCH_JSON (.*)$", out, re.M)
    if not m:
        raise RuntimeError(f"wrk printed no BENCH_JSON line:\n{out}")
    stats = json.loads(m.group(1))
    if not stats["requests"]:
        print(out, flush=True)
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def main() -> None:
    update_docs = "--update-docs" in sys.argv
    RESULTS.mkdir(exist_ok=True)
    print(f"» database {DB}: migrate, collectstatic, seed {ENTRIES} entries", flush=True)
    setup()
    django_here()
    seed_event()
    gunicorn = gunicorn_argv(MAIN_PY, "zhengwei.wsgi:application", "gthread", THREADS)
    zw = LiveServer(Target("zhengwei-live", "", "", gunicorn, ROOT, env(), ""))
    zw_redis = LiveServer(
        Target("zhengwei-live-redis", "", "", gunicorn, ROOT, env(redis=True), "")
    )
    peer = LiveServer(Target("uncached-render", "", "", gunicorn, ROOT, env(uncached=True), ""))
    if os.environ.get("BENCH_PORT_BASE"):  # on a shared machine: the ports one was given
        for offset, server in enumerate((zw, zw_redis, peer)):
            server.port = int(os.environ["BENCH_PORT_BASE"]) + offset
    rows = []
    reporter = Reporter()
    try:
        zw.start()
        zw_redis.start()
        peer.start()
        reporter.start()
        runs = [
            (
                "live",
                "zhengwei: /live/<slug>/, lean path, copy in the shared cache (database)",
                zw,
                False,
            ),
            ("live-conditional", "zhengwei: the same, readers send If-None-Match", zw, True),
            (
                "live-django",
                "the same copy through Django's full stack (as before the lean path)",
                zw,
                False,
            ),
            ("live-redis", "zhengwei with REDIS_URL: the cache in Redis", zw_redis, False),
            ("live-redis-conditional", "the same with If-None-Match", zw_redis, True),
            (
                "live-uncached",
                "peer: the same view, every request queried and rendered",
                peer,
                False,
            ),
        ]
        for name, what, server, conditional in runs:
            path = f"/live/{SLUG}/" + ("?via=django" if name == "live-django" else "")
            print(f"» {name}: warm-up {WARMUP} s, then {DURATION} s", flush=True)
            wrk(server.base + path, WARMUP, conditional)
            rows.append((name, what, wrk(server.base + path, DURATION, conditional)))
        print(f"» static: {DURATION} s", flush=True)
        rows.append(
            (
                "static",
                "peer: a static file (live.css) from the same server (WhiteNoise)",
                wrk(zw.base + "/static/newsroom/live.css", DURATION),
            )
        )
    finally:
        reporter.stop_event.set()
        zw.stop()
        zw_redis.stop()
        peer.stop()
    uncached = next(r for n, _w, r in rows if n == "live-uncached")["rps"]
    static = next(r for n, _w, r in rows if n == "static")["rps"]
    lines = [
        f"Run {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, gunicorn 2 workers × "
        f"{THREADS} threads, wrk {WRK_THREADS} threads × {CONNECTIONS} connections, "
        f"{DURATION} s each, {ENTRIES} entries, a new entry every {POST_EVERY:g} s "
        f"({reporter.posted} posted during the run).",
        "",
        "| run | what | req/s | 200 | 304 | other / errors | p50 ms | p99 ms | ÷ uncached "
        "| ÷ static |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, what, r in rows:
        errors = r["other"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
        lines.append(
            f"| `{name}` | {what} | {r['rps']:,.0f} | {r['ok']:,} | {r['not_modified']:,} | "
            f"{errors} | {r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | "
            f"{r['rps'] / uncached:.1f}× | {r['rps'] / static:.2f}× |"
        )
    live = rows[0][2]
    verdict = (
        "met"
        if live["rps"] >= 2000 and live["p99_us"] <= 100_000
        else "NOT met on this run (see the machine's load)"
    )
    lines += ["", f"Target ≥ 2,000 req/s with p99 ≤ 100 ms for `live`: {verdict}."]
    measured = {name: r["rps"] for name, _w, r in rows}
    lines += [
        "",
        "Against the run before the lean path (full Django stack, same bench): "
        + "; ".join(
            f"`{name}` {before:,} → {measured[name]:,.0f} req/s "
            f"({before / EARLIER['static']:.2f} → {measured[name] / static:.2f} of a static file)"
            for name, before in EARLIER.items()
            if name != "static"
        )
        + ".",
    ]
    table = "\n".join(lines)
    print(table)
    (RESULTS / f"live-{datetime.now():%Y%m%d-%H%M}.md").write_text(table + "\n")
    if update_docs:
        text = DOCS.read_text()
        start, end = text.index(DOCS_START) + len(DOCS_START), text.index(DOCS_END)
        DOCS.write_text(text[:start] + "\n" + table + "\n" + text[end:])
        print(f"docs updated: {DOCS}")


if __name__ == "__main__":
    main()
