"""The production layout of docs/deploy.md on loopback, under faults, while WeChat's load goes on.

Run by ``faults/run`` (issue #9; docs/reliability.md "Production layout under faults"). Every
process of the layout reaches PostgreSQL through one TCP fault proxy
(zhengwei/testing/faultproxy.py) instead of the server itself. Restarting the real server
(``pg_ctl restart``) would break the other engineers' and test runs sharing it; the proxy gives
these processes exactly what a restart or an outage gives a client, and nobody else notices:

- **restart**: every open connection is dropped at once; new ones are accepted (the server is back);
- **outage**: every connection is dropped and new ones are refused for ``FAULTS_OUTAGE`` seconds;
- **kill -9** of one task worker while a burst of messages is being processed (no database fault).

Processes (docs/deploy.md §6): gunicorn ``zhengwei.wsgi`` (gthread, 2 workers × 8 threads),
gunicorn ``zhengwei.asgi`` (the callback server, ``-k asgi``, 2 workers), two ``db_worker``, one
``wechat_worker`` and ``run_scheduler``. The load generator sends valid, signed, encrypted
callbacks (unique MsgIds) to both entry points at ``FAULTS_RATE`` per second throughout.

Printed at the end, and the exit status is 0 only when all of these hold:
- after each fault, the callbacks sent from 5 s after recovery on were all answered 200;
- every process is still alive with the same pid (gunicorn's workers too: none restarted), except
  the task worker killed on purpose;
- every callback answered 200 is stored exactly once (0 lost, 0 duplicated), and processed;
- the time each fault took to recover from (first 200 after it; spool drained; backlog processed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.callback import RequestMaker  # noqa: E402
from bench.keys import ORIGINAL_ID  # noqa: E402
from zhengwei.testing.faultproxy import FaultProxy  # noqa: E402

PG_HOST = os.environ.get("FAULTS_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "5432"))
PG_DB = os.environ.get("FAULTS_DB", "zw_faults")
BASE_PORT = int(os.environ.get("FAULTS_PORT", "8120"))
RATE = float(os.environ.get("FAULTS_RATE", "10"))  # callbacks per second, both servers together
OUTAGE = float(os.environ.get("FAULTS_OUTAGE", "60"))
SETTLE = float(os.environ.get("FAULTS_SETTLE", "20"))  # load between faults
DRAIN = float(os.environ.get("FAULTS_DRAIN", "120"))  # longest wait for the backlog at the end
DEADLINE = 5.0  # WeChat waits 5 s for an answer
WORK = Path(os.environ["FAULTS_WORK"])
DIRECT_URL = f"postgres://postgres@{PG_HOST}:{PG_PORT}/{PG_DB}"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ------------------------------------------------------------------------------ processes
@dataclass
class Proc:
    name: str
    argv: list[str]
    popen: subprocess.Popen | None = None

    def start(self, env: dict) -> None:
        out = (WORK / f"{self.name}.log").open("w")
        self.popen = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def family(self) -> set[int]:
        """The process and its children (gunicorn's workers)."""
        assert self.popen
        found = {self.popen.pid}
        children = subprocess.run(
            ["pgrep", "-P", str(self.popen.pid)], capture_output=True, text=True
        ).stdout.split()
        return found | {int(pid) for pid in children}

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)


def layout(wsgi_port: int, asgi_port: int) -> list[Proc]:
    py = sys.executable
    gunicorn = [py, "-m", "gunicorn", "--log-level", "warning", "--graceful-timeout", "5"]
    manage = [py, "manage.py"]
    return [
        Proc(
            "web-wsgi",
            [
                *gunicorn,
                "zhengwei.wsgi:application",
                "--bind",
                f"127.0.0.1:{wsgi_port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
            ],
        ),
        Proc(
            "callback-asgi",
            [
                *gunicorn,
                "zhengwei.asgi:application",
                "--bind",
                f"127.0.0.1:{asgi_port}",
                "--workers",
                "2",
                "-k",
                "asgi",
            ],
        ),
        Proc("db_worker-1", [*manage, "db_worker", "--queue-name=*", "--worker-id=faults-1"]),
        Proc("db_worker-2", [*manage, "db_worker", "--queue-name=*", "--worker-id=faults-2"]),
        Proc("wechat_worker", [*manage, "wechat_worker"]),
        Proc("scheduler", [*manage, "run_scheduler", "--tick", "1"]),
    ]


# ------------------------------------------------------------------------------ load
@dataclass
class Sent:
    at: float  # monotonic, when sent
    target: str
    msg_id: str
    status: int  # 0: no answer within WeChat's 5 s (refused, reset, timeout)
    took: float


class Load:
    """Valid callbacks at RATE per second, alternating between the WSGI and the ASGI server."""

    def __init__(self, targets: dict[str, str]) -> None:
        self.targets = list(targets.items())
        self.maker = RequestMaker()
        self.lock = threading.Lock()
        self.sent: list[Sent] = []
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=int(RATE * DEADLINE) + 4)
        self.count = 0

    def _one(self, i: int) -> None:
        name, base = self.targets[i % len(self.targets)]
        with self.lock:
            url, body, _, msg_id = self.maker.make(i)
        started = time.monotonic()
        request = urllib.request.Request(
            base + url, data=body, headers={"Content-Type": "text/xml"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=DEADLINE) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError, TimeoutError):
            status = 0
        took = time.monotonic() - started
        if took > DEADLINE:
            status = 0
        with self.lock:
            self.sent.append(Sent(started, name, msg_id, status, took))

    def run(self) -> None:
        period = 1 / RATE
        next_at = time.monotonic()
        while not self.stopping.is_set():
            self.pool.submit(self._one, self.count)
            self.count += 1
            next_at += period
            time.sleep(max(0.0, next_at - time.monotonic()))

    def burst(self, n: int) -> None:
        for _ in range(n):
            self.pool.submit(self._one, self.count)
            self.count += 1

    def stop(self) -> None:
        self.stopping.set()
        self.pool.shutdown(wait=True)

    def between(self, start: float, end: float) -> list[Sent]:
        with self.lock:
            return [s for s in self.sent if start <= s.at < end]


# ------------------------------------------------------------------------------ database
def db_counts(msg_ids: set[str]) -> dict:
    import psycopg

    with psycopg.connect(DIRECT_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT m.msg_id, count(*), min(m.state), max(m.state) "
            "FROM wechat_inbound_inboundmessage m JOIN orgs_wechataccount a "
            "ON a.id = m.account_id WHERE a.original_id = %s GROUP BY m.msg_id",
            [ORIGINAL_ID],
        ).fetchall()
    stored = {r[0]: r[1] for r in rows}
    states: dict[str, int] = {}
    for _, _, low, high in rows:
        for state in {low, high}:
            states[state] = states.get(state, 0) + 1
    return {
        "stored": len(stored),
        "lost": sorted(msg_ids - set(stored)),
        "duplicated": sorted(m for m, n in stored.items() if n > 1),
        "extra": len(set(stored) - msg_ids),
        "states": states,
        "pending": sum(
            1
            for r in rows
            if r[2] in ("received", "processing") or r[3] in ("received", "processing")
        ),
    }


def spool_bytes() -> int:
    spool = WORK / "spool"
    return sum(p.stat().st_size for p in spool.rglob("*") if p.is_file()) if spool.exists() else 0


# ------------------------------------------------------------------------------ the run


def wait_for(check, seconds: float, step: float = 0.5) -> float | None:
    """Seconds until ``check()`` held, or None if it never did within ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(step)
    return None


def recovery(load: Load, fault_at: float, back_at: float, window_end: float) -> dict:
    """What callbacks got from the fault on: first 200 after the database was back, and whether
    every callback sent from 5 s after recovery on was answered 200."""
    after = load.between(back_at, window_end)
    first_ok = next(
        (s.at + s.took for s in sorted(after, key=lambda s: s.at) if s.status == 200), None
    )
    late = [s for s in after if s.at >= back_at + DEADLINE]
    during = load.between(fault_at, back_at)
    return {
        "during": _codes(during),
        "after_5s": _codes(late),
        "all_200_after_5s": bool(late) and all(s.status == 200 for s in late),
        "first_200_after": None if first_ok is None else first_ok - back_at,
        "non_200_after_recovery": _codes([s for s in after if s.status != 200]),
    }


def _codes(sent: list[Sent]) -> dict:
    out: dict = {}
    for s in sent:
        out[s.status] = out.get(s.status, 0) + 1
    return dict(sorted(out.items()))


def main() -> int:
    proxy_port, wsgi_port, asgi_port = BASE_PORT + 2, BASE_PORT, BASE_PORT + 1
    busy = [port for port in (wsgi_port, asgi_port, proxy_port) if _in_use(port)]
    if busy:
        log(f"ports {busy} are in use: stop what listens there or set FAULTS_PORT")
        return 2
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{proxy_port}/{PG_DB}"}
    targets = {"wsgi": f"http://127.0.0.1:{wsgi_port}", "asgi": f"http://127.0.0.1:{asgi_port}"}
    procs = layout(wsgi_port, asgi_port)
    with FaultProxy(PG_HOST, PG_PORT, port=proxy_port) as proxy:
        try:
            for p in procs:
                p.start(env)
            for name, base in targets.items():
                if wait_for(lambda b=base: _answers(b), 90) is None:
                    log(f"{name} did not start; see {WORK}/*.log")
                    return 2
            time.sleep(5)  # the workers and the scheduler have connected
            dead = [p.name for p in procs if not p.alive()]
            if dead:
                log(f"{dead} exited at start; see {WORK}/*.log")
                return 2
            families = {p.name: p.family() for p in procs}
            log("layout up: " + ", ".join(f"{n} {sorted(f)}" for n, f in families.items()))
            load = Load(targets)
            results = inject(proxy, procs, load)
            log("load stopped; waiting for every accepted callback to be stored and processed")
            accepted = {s.msg_id for s in load.sent if s.status == 200}

            def settled() -> bool:
                counts = db_counts(accepted)
                return counts["pending"] == 0 and not counts["lost"]

            waited = wait_for(settled, DRAIN, 1)
            results["kill"]["backlog_processed_after"] = (
                None if waited is None else time.monotonic() - results["kill"]["at"]
            )
            counts = db_counts(accepted)
            alive = {
                p.name: p.alive() and p.family() == families[p.name]
                for p in procs
                if p.name != "db_worker-1"
            }
        finally:
            for p in procs:
                p.stop()
    return report(load, accepted, counts, alive, results)


def inject(proxy: FaultProxy, procs: list[Proc], load: Load) -> dict:
    """The three faults, one after the other, under load; what callbacks got around each."""
    results: dict = {}
    threading.Thread(target=load.run, daemon=True).start()
    try:
        time.sleep(SETTLE)
        log("fault 1: PostgreSQL restart (every connection dropped)")
        at = time.monotonic()
        proxy.restart()
        time.sleep(SETTLE)
        results["restart"] = recovery(load, at, at, time.monotonic())

        log(f"fault 2: PostgreSQL unreachable for {OUTAGE:g} s")
        at = time.monotonic()
        proxy.down()
        time.sleep(OUTAGE)
        spooled = spool_bytes()
        back = time.monotonic()
        proxy.up()
        log(f"database back; spool holds {spooled:,} bytes")
        drained = wait_for(lambda: spool_bytes() == 0, 120)
        time.sleep(max(0.0, SETTLE - (time.monotonic() - back)))
        results["outage"] = recovery(load, at, back, time.monotonic())
        results["outage"]["spooled_bytes"] = spooled
        results["outage"]["spool_drained_after"] = drained

        log("fault 3: kill -9 of db_worker-1 while a burst is processed")
        victim = next(p for p in procs if p.name == "db_worker-1")
        load.burst(int(RATE * 4))
        wait_for(lambda: db_counts(set())["states"].get("processing", 0) > 0, 10, 0.05)
        processing = db_counts(set())["states"].get("processing", 0)
        at = time.monotonic()
        os.kill(victim.popen.pid, signal.SIGKILL)
        victim.popen.wait()
        time.sleep(SETTLE)
        results["kill"] = {"processing_at_kill": processing, "at": at}
    finally:
        load.stop()
    return results


def _in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/wechat/callback/probe/", timeout=2)
    except urllib.error.HTTPError:
        return True  # any HTTP answer: the server is up
    except (urllib.error.URLError, OSError):
        return False
    return True


def report(load: Load, accepted: set[str], counts: dict, alive: dict, results: dict) -> int:
    sent = load.sent
    ok = True
    print()
    print(
        f"production layout under faults: {len(sent):,} callbacks sent at {RATE:g}/s "
        f"to WSGI and ASGI ({_codes(sent)}), {len(accepted):,} answered 200"
    )
    start = min((s.at for s in sent), default=0.0)
    for s in sorted((s for s in sent if s.status != 200), key=lambda s: s.at)[:10]:
        print(
            f"  not 200: {s.status or 'no answer'} from {s.target} after {s.took:.1f} s, "
            f"sent {s.at - start:.1f} s into the load"
        )
    for name in ("restart", "outage"):
        r = results[name]
        first = r["first_200_after"]
        print(
            f"- {name}: during the fault {r['during']}; first 200 "
            f"{'never' if first is None else f'{first:.1f} s'} after recovery; from 5 s after "
            f"recovery {r['after_5s']} → {'all 200' if r['all_200_after_5s'] else 'NOT all 200'}"
        )
        if name == "outage":
            drained = r["spool_drained_after"]
            print(
                f"  spool: {r['spooled_bytes']:,} bytes written in the outage, drained "
                f"{'never' if drained is None else f'{drained:.1f} s'} after the database "
                "came back"
            )
        ok &= r["all_200_after_5s"]
    k = results["kill"]
    backlog = k["backlog_processed_after"]
    print(
        f"- kill -9 db_worker-1 with {k['processing_at_kill']} messages processing: every "
        f"message processed {'never' if backlog is None else f'{backlog:.0f} s'} after the kill"
    )
    print(
        "- processes alive with the same pids (none restarted): "
        + ", ".join(f"{n} {'yes' if a else 'NO'}" for n, a in alive.items())
    )
    print(
        f"- accepted (200) {len(accepted):,}, stored {counts['stored']:,}: lost "
        f"{len(counts['lost'])}, duplicated {len(counts['duplicated'])}, stored though not "
        f"answered 200 {counts['extra']} (WeChat would retry those); states {counts['states']}"
    )
    ok &= all(alive.values()) and not counts["lost"] and not counts["duplicated"]
    ok &= backlog is not None and counts["pending"] == 0
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
