"""Many processes at once cause exactly one token fetch (real processes, one shared database)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from zhengwei.wechat.outbound import tokens

pytestmark = pytest.mark.django_db(transaction=True)
PROCESSES = 6
ROOT = Path(__file__).resolve().parents[4]
CHILD = "zhengwei.wechat.outbound.tests.race_child"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _race(what, account, fake, tmp_path, *, mode="stable", redis_url=""):
    """Start the processes, wait until all are ready, fire, and return what each printed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhengwei.settings",
        "DATABASE_URL": _database_url(),
        "WECHAT_API_BASE": fake.url,
        "WECHAT_TOKEN_MODE": mode,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }
    children = [
        subprocess.Popen(
            [sys.executable, "-m", CHILD, what, str(account.pk), str(tmp_path)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < PROCESSES:
        assert time.monotonic() < deadline, "children did not start"
        assert all(c.poll() is None for c in children), children[0].communicate()
        time.sleep(0.02)
    (tmp_path / "go").touch()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        outputs.append(out.strip())
    return outputs


def _redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=0.5).ping()
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    "mode, path", [("stable", "/cgi-bin/stable_token"), ("classic", "/cgi-bin/token")]
)
def test_many_processes_asking_at_once_cause_one_fetch(account, fake, tmp_path, mode, path):
    fake.token_delay = 0.3  # a slow platform: everyone arrives while the fetch is in flight
    outputs = _race("token", account, fake, tmp_path, mode=mode)
    assert fake.count(path) == 1
    assert len(set(outputs)) == 1 and outputs[0] in fake.valid_tokens


def test_the_redis_lock_also_lets_only_one_process_fetch(account, fake, tmp_path):
    fake.token_delay = 0.3
    outputs = _race("token", account, fake, tmp_path, redis_url=_redis_url())
    assert fake.count("/cgi-bin/stable_token") == 1
    assert len(set(outputs)) == 1


def test_many_processes_rejected_with_40001_refresh_once_not_per_worker(account, fake, tmp_path):
    tokens.get_token(account)
    fake.revoke_tokens()
    fake.token_delay = 0.3
    fake.route(
        "/cgi-bin/getcallbackip",
        lambda r: (
            {"ip_list": ["101.226.1.1"]}
            if r.query["access_token"] in fake.valid_tokens
            else {"errcode": 40001, "errmsg": "invalid credential"}
        ),
    )
    outputs = _race("call", account, fake, tmp_path)
    assert outputs == ["101.226.1.1"] * PROCESSES
    assert fake.count("/cgi-bin/stable_token") == 2  # the first fetch, and one refresh
