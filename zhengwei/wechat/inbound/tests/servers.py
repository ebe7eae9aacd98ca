"""Real server processes for the callback tests: gunicorn serving a test app against this test's
database (a file on SQLite, the test database on PostgreSQL)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[4]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds=15):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def gunicorn_servers(app: str, worker: list[str], count: int = 2) -> Iterator[list[str]]:
    """Start ``count`` gunicorn processes serving ``app`` (one worker each, ``worker`` gives its
    class and options), yield their base URLs once each answers, stop them afterwards. Use from
    a fixture that depends on ``transactional_db``, so the database's name is known."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhengwei.settings_test",
        "DATABASE_URL": database_url(),
        "WECHAT_INBOUND_KICK_MS": "0",
        "LOG_LEVEL": "WARNING",
    }
    procs, urls = [], []
    for _ in range(count):
        port = free_port()
        argv = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
        argv += ["--workers", "1", *worker, "--log-level", "warning"]
        procs.append(
            subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        for url, proc in zip(urls, procs, strict=True):
            while True:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                try:
                    requests.get(f"{url}/wechat/callback/probe/", timeout=5)
                    break
                except (requests.ConnectionError, requests.Timeout):
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.1)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
