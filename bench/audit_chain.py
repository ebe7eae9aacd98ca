"""`bench/run audit-chain`: audited writes per second on PostgreSQL with 1, 2, 4 and 8 writers.

The audit log's hash chain (zhengwei/audit/chain.py) takes a transaction-level advisory lock in
``audit_record`` and holds it until the writer's transaction commits, so audited writes are
serialised across every process. This measures what that costs. Each writer is a process of its
own (its own connection) that repeats one small state change for BENCH_AUDIT_SECONDS:

- ``plain``: UPDATE of the writer's own row, committed (the same write with no audit);
- ``unchained``: the same UPDATE and an AuditEntry INSERT in one transaction, without sealing
  (the audit row's own cost, no lock);
- ``chained``: the same UPDATE and ``audit_record`` (sealed: the advisory lock, the previous
  entry's link read, the HMAC), as every service does.

Writers touch different rows, so only the chain lock can make them wait for each other. Printed:
writes/s per mode and writer count, p50/p99 of one write, and the chained rate against plain and
unchained. Afterwards no two sealed entries may link to the same predecessor (the lock held).

Environment: BENCH_PG_URL [postgres://postgres@127.0.0.1:5432], BENCH_AUDIT_DB
[zhengwei_bench_audit, recreated], BENCH_AUDIT_SECONDS [8], BENCH_AUDIT_WRITERS [1,2,4,8].
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = os.environ.get("BENCH_AUDIT_DB", "zhengwei_bench_audit")
SECONDS = float(os.environ.get("BENCH_AUDIT_SECONDS") or 8)
WRITERS = [int(n) for n in (os.environ.get("BENCH_AUDIT_WRITERS") or "1,2,4,8").split(",")]
MODES = ("plain", "unchained", "chained")

os.environ["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", f"{PG_URL}/{db}", "-qc", sql], check=True, capture_output=True)


def fresh_database() -> None:
    psql(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{PG_DB}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )
    psql("CREATE TABLE bench_row (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)", PG_DB)
    psql("INSERT INTO bench_row (id) SELECT generate_series(0, 63)", PG_DB)


def _writer(mode: str, row: int, ready, go, deadline_box, out) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from zhengwei.audit.models import AuditEntry
    from zhengwei.audit.services import audit_record

    def write() -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE bench_row SET n = n + 1 WHERE id = %s", [row])
            if mode == "unchained":
                AuditEntry.objects.create(
                    at=timezone.now(),
                    actor_name="bench",
                    action="bench.write",
                    object_type="bench.row",
                    object_id=str(row),
                    after={"row": row},
                )
            elif mode == "chained":
                audit_record(
                    actor_name="bench",
                    action="bench.write",
                    object_type="bench.row",
                    object_id=str(row),
                    after={"row": row},
                )

    write()  # connect and warm up before the clock starts
    ready.put(row)
    go.wait()
    deadline = deadline_box.value
    took: list[float] = []
    while (start := time.perf_counter()) < deadline:
        write()
        took.append(time.perf_counter() - start)
    out.put(took)


def run(mode: str, writers: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    ready, go, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    deadline = ctx.Value("d", 0.0)
    procs = [
        ctx.Process(target=_writer, args=(mode, i, ready, go, deadline, out))
        for i in range(writers)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()  # every writer has set Django up and written once
    deadline.value = time.perf_counter() + SECONDS
    go.set()
    took = [t for _ in procs for t in out.get()]
    for p in procs:
        p.join()
    took.sort()
    return {
        "rate": len(took) / SECONDS,
        "p50": 1000 * statistics.median(took),
        "p99": 1000 * took[int(0.99 * (len(took) - 1))],
    }


def main() -> int:
    fresh_database()
    load = os.getloadavg()
    results = {(m, n): run(m, n) for n in WRITERS for m in MODES}
    forks = subprocess.run(
        [
            "psql",
            f"{PG_URL}/{PG_DB}",
            "-tAc",
            "SELECT count(*) FROM (SELECT prev_hash FROM "
            "audit_auditentry WHERE prev_hash <> '' GROUP BY 1 HAVING count(*) > 1) forked",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(
        f"\naudited writes on PostgreSQL, {SECONDS:g} s per cell, {os.cpu_count()} cores, "
        f"load average at start {load[0]:.1f}"
    )
    print(
        "| writers | plain writes/s | unchained writes/s | chained writes/s | chained p50 / p99 "
        "| chained ÷ plain | chained ÷ unchained |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in WRITERS:
        p, u, c = (results[(m, n)] for m in MODES)
        print(
            f"| {n} | {p['rate']:,.0f} | {u['rate']:,.0f} | {c['rate']:,.0f} "
            f"| {c['p50']:.1f} / {c['p99']:.1f} ms | {c['rate'] / p['rate']:.2f} "
            f"| {c['rate'] / u['rate']:.2f} |"
        )
    print(f"sealed entries linking to the same predecessor (a fork): {forks}")
    return 0 if forks == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
