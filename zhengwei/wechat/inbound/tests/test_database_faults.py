"""The callback paths, the task worker, the WeChat worker and the scheduler against a database
that restarts or goes away (issue #9). Real server processes reach PostgreSQL through a TCP proxy
(zhengwei/testing/faultproxy.py) that drops every connection (what ``pg_ctl restart`` does to its
clients) or refuses them for a while (an outage). PostgreSQL only."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone

from zhengwei.lib import wxxml
from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.testing.faultproxy import FaultProxy
from zhengwei.wechat.inbound.models import InboundMessage, State
from zhengwei.wechat.inbound.tests.helpers import build_request, text_fields
from zhengwei.wechat.inbound.tests.servers import ROOT, database_url, gunicorn_servers, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="database fault tests need PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]


@pytest.fixture
def proxy(transactional_db):
    db = connection.settings_dict
    with FaultProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as p:
        yield p


@pytest.fixture
def spool_dir(tmp_path):
    return tmp_path / "spool"


def _proxied_env(proxy, spool_dir, monkeypatch) -> str:
    url = database_url().replace(f":{connection.settings_dict['PORT'] or 5432}/", f":{proxy.port}/")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("WECHAT_SPOOL_DIR", str(spool_dir))
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "2")
    return url


def _servers(app, worker, proxy, spool_dir, monkeypatch):
    url = _proxied_env(proxy, spool_dir, monkeypatch)
    # gunicorn_servers sets DATABASE_URL from this test's database; point it at the proxy.
    from zhengwei.wechat.inbound.tests import servers as servers_module

    monkeypatch.setattr(servers_module, "database_url", lambda: url)
    return gunicorn_servers(app, worker, count=1)


@pytest.fixture(params=["wsgi", "asgi"])
def server(request, proxy, spool_dir, monkeypatch):
    if request.param == "wsgi":
        app, worker = "zhengwei.wsgi:application", ["--worker-class", "gthread", "--threads", "8"]
    else:
        app, worker = "zhengwei.asgi:application", ["--worker-class", "asgi"]
    yield from (url[0] for url in _servers(app, worker, proxy, spool_dir, monkeypatch))


def _post(base, account, content, msg_id=None):
    path, body = build_request(account, text_fields(account, content, msg_id=msg_id))
    return requests.post(base + path, data=body, timeout=10)


def test_valid_callbacks_are_answered_at_once_after_a_database_restart(server, proxy):
    account = WeChatAccountFactory(message_mode="safe")
    assert _post(server, account, "重启前").status_code == 200
    proxy.restart()
    started = time.monotonic()
    responses = [_post(server, account, f"重启后{i}") for i in range(20)]
    assert [r.status_code for r in responses] == [200] * 20
    assert time.monotonic() - started < 5
    wait_until(lambda: InboundMessage.objects.filter(account=account).count() == 21)


def test_unsigned_requests_are_refused_without_the_database(server, proxy):
    proxy.down()
    response = requests.post(server + "/wechat/callback/gh_anything/", data=b"<xml/>", timeout=10)
    assert response.status_code == 403


def test_callbacks_during_an_outage_are_spooled_answered_and_stored_once_when_it_ends(
    server, proxy, spool_dir
):
    account = WeChatAccountFactory(message_mode="safe")
    assert _post(server, account, "预热").status_code == 200  # the process knows the account
    proxy.down()
    ids = list(range(8_100_000_000_000_000_000, 8_100_000_000_000_000_030))
    with ThreadPoolExecutor(8) as pool:
        during = list(pool.map(lambda i: _post(server, account, f"停机中{i}", msg_id=i), ids))
    assert [r.status_code for r in during] == [200] * 30
    assert {r.content for r in during} == {wxxml.SUCCESS}
    assert sum(p.stat().st_size for p in spool_dir.iterdir()) > 0
    # WeChat retries some of them after the database is back: still one row each.
    proxy.up()
    retries = [_post(server, account, f"停机中{i}", msg_id=i) for i in ids[:5]]
    assert [r.status_code for r in retries] == [200] * 5
    wait_until(lambda: InboundMessage.objects.filter(account=account).count() == 31, seconds=20)
    stored = set(
        InboundMessage.objects.filter(account=account)
        .exclude(msg_id="")
        .values_list("msg_id", flat=True)
    )
    assert {str(i) for i in ids} <= stored
    wait_until(lambda: not list(spool_dir.iterdir()))


class _Process:
    """A management command in a process of its own, its log collected as it runs."""

    def __init__(self, argv, env) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", *argv],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_for(self, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.log:
            assert self.alive(), self.log[-3000:]
            assert time.monotonic() < deadline, f"no {text!r} in: {self.log[-3000:]}"
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _command(argv, proxy, spool_dir, monkeypatch, *, settings_module="zhengwei.settings_test"):
    _proxied_env(proxy, spool_dir, monkeypatch)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "LOG_LEVEL": "WARNING"}
    return _Process(argv, env)


@pytest.mark.parametrize(
    "argv,settings_module",
    [
        (["wechat_worker", "--interval", "0.1"], "zhengwei.settings_test"),
        (["run_scheduler", "--tick", "0.2"], "zhengwei.settings_test"),
        (
            ["db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"],
            "zhengwei.settings",
        ),
    ],
    ids=["wechat_worker", "scheduler", "db_worker"],
)
def test_long_running_processes_wait_for_the_database_and_carry_on(
    argv, settings_module, proxy, spool_dir, monkeypatch
):
    proxy.down()  # down when they start, as after a host reboot
    proc = _command(argv, proxy, spool_dir, monkeypatch, settings_module=settings_module)
    try:
        proc.wait_for("database unavailable")
        time.sleep(1)
        assert proc.alive()
        proxy.up()
        proc.wait_for("database is back")
        accepted = proxy.accepted
        proxy.restart()  # and a restart while they run
        wait_until(lambda: proxy.accepted > accepted, seconds=30)  # it reconnected
        time.sleep(0.5)
        assert proc.alive(), proc.log[-3000:]
    finally:
        proc.stop()


def test_the_wechat_worker_processes_messages_stored_after_an_outage(proxy, spool_dir, monkeypatch):
    account = WeChatAccountFactory(message_mode="safe")
    proc = _command(["wechat_worker", "--interval", "0.1"], proxy, spool_dir, monkeypatch)
    try:
        time.sleep(1)
        proxy.down()
        time.sleep(2)
        proxy.up()
        InboundMessage.objects.create(
            account=account,
            dedupe_key="after-outage",
            from_user="o1",
            kind="message",
            msg_type="text",
            create_time=int(time.time()),
            received_at=timezone.now(),
            raw_xml="<xml/>",
            fields={"Content": "停机后"},
            mode="safe",
        )
        wait_until(lambda: InboundMessage.objects.get().state == State.PROCESSED, seconds=20)
    finally:
        proc.stop()
