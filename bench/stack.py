"""The processes of a zhengwei installation for the load benchmarks, as ./run and docs/deploy.md
start them: gunicorn (the lean callback path and Django), the simulated WeChat (so customer-service
messages, mass sends and publishes go somewhere and come back as events) and the task workers.

Used by `bench/run typhoon`, `bench/run processing` and `bench/run typhoon-night`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = Path(sys.executable)
LOGS = ROOT / "bench" / "results" / "logs"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(q * len(ordered) + 0.5)) - 1))]


def free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in (8000, 8001):
            return port


def recreate_pg_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def stack_env(database_url: str, var_dir: Path, web: str, sim: str, **extra: str) -> dict[str, str]:
    """The environment of every process of one stack (and of its `manage.py` set-up commands)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        ZHENGWEI_VAR_DIR=str(var_dir),
        DEBUG="false",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="zhengwei.settings",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        WECHAT_API_BASE=f"{sim}/sim/api",
        ZHENGWEI_SIMULATOR_URL=f"{sim}/sim/",
        SIMULATOR_CALLBACK_BASE=web,
        PUBLIC_URL=web,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(PY), str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Stack:
    """gunicorn (web), gunicorn (simulated WeChat) and ``task_workers`` db_worker processes."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        name: str,
        web_port: int,
        sim_port: int,
        web_workers: int = 2,
        threads: int = 8,
        task_workers: int = 1,
        task_interval: str = "0.5",
        scheduler: bool = False,
    ) -> None:
        self.env, self.name = env, name
        self.web_port, self.sim_port = web_port, sim_port
        self.web_workers, self.threads = web_workers, threads
        self.task_workers, self.task_interval = task_workers, task_interval
        self.scheduler = scheduler
        self.procs: list[tuple[str, subprocess.Popen, object]] = []

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def sim(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    def _start(self, what: str, argv: list[str], **env: str) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        out = (LOGS / f"{self.name}-{what}.log").open("w")
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append((what, proc, out))

    def start(self) -> None:
        gunicorn = str(PY.parent / "gunicorn")
        common = ["--worker-class", "gthread", "--log-level", "warning"]
        self._start(
            "web",
            [
                gunicorn,
                "zhengwei.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                str(self.web_workers),
                "--threads",
                str(self.threads),
                *common,
            ],
        )
        self._start(
            "simulator",
            [
                gunicorn,
                "zhengwei.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.sim_port}",
                "--workers",
                "1",
                "--threads",
                "8",
                *common,
            ],
            ZHENGWEI_ROLE="simulator",
        )
        for n in range(self.task_workers):
            self._start(
                f"worker{n}",
                [
                    str(PY),
                    str(ROOT / "manage.py"),
                    "db_worker",
                    "--queue-name",
                    "*",
                    "--interval",
                    self.task_interval,
                    "--no-startup-delay",
                ],
            )
        if self.scheduler:
            self._start("scheduler", [str(PY), str(ROOT / "manage.py"), "run_scheduler"])
        for url in (f"{self.web}/signin/", f"{self.sim}/sim/"):
            self._wait(url)

    def alive(self) -> dict[str, bool]:
        return {what: proc.poll() is None for what, proc, _ in self.procs}

    def _wait(self, url: str) -> None:
        deadline = time.time() + 90
        while time.time() < deadline:
            for what, proc, _ in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{what} exited; see {LOGS}/{self.name}-{what}.log")
            try:
                with urllib.request.urlopen(url, timeout=5):
                    return
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer")

    def stop(self) -> None:
        for _what, proc, _out in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _what, proc, out in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            out.close()
