"""The users of a typhoon night, for locust (driven by `bench/run typhoon-night`, bench/typhoon_night.py).

* ``WeChatCallbacks``: WeChat delivering citizens' messages to the callback (safe mode, signed and
  encrypted with the demo account's keys, a unique MsgId each).
* ``H5Reporters``: citizens submitting the H5 report form with a photo.
* ``DutyOfficers``: signed-in duty officers with the duty console, its change feed, the 互动 inbox
  and the report list open.
* ``Publishers``: the operator publishing prepared pushes (发表 through the simulated WeChat).

Every request is named by its kind, so locust's statistics come out per kind. What the server
accepted (a callback answered 200, a report form answered with its ticket, a push the server took)
is written to BENCH_NIGHT_ACCEPTED (JSON) when the run stops, and every request's time, kind and
outcome to BENCH_NIGHT_REQUESTS (one JSON line each) so the harness can check that nothing accepted
was lost and see when each kind recovered from the database restart.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import time
from hashlib import sha256
from pathlib import Path

from locust import HttpUser, between, events, task

from bench.keys import safe_mode_request
from zhengwei.demo.constants import (
    APP_ID,
    DEMO_PASSWORD,
    ENCODING_AES_KEY,
    ORIGINAL_ID,
    TOKEN,
)
from zhengwei.lib.wxcrypto import WXCrypto

CRYPTO = WXCrypto(TOKEN, ENCODING_AES_KEY, APP_ID)
CALLBACK = f"/wechat/callback/{ORIGINAL_ID}/"
PUSHES = [int(p) for p in os.environ.get("BENCH_NIGHT_PUSHES", "").split(",") if p]
ACCEPTED: dict[str, list] = {"callbacks": [], "reports": [], "pushes": []}
_log = None
_msg_id = int(time.time() * 1000) * 1000
_photo = b""


def _next_msg_id() -> int:
    global _msg_id
    _msg_id += 1
    return _msg_id


def _openid(n: int) -> str:
    return "o" + base64.urlsafe_b64encode(sha256(b"night%d" % n).digest())[:27].decode()


@events.test_start.add_listener
def _open_log(environment, **kwargs) -> None:
    global _log, _photo
    path = os.environ.get("BENCH_NIGHT_REQUESTS")
    _log = Path(path).open("w") if path else None
    _photo = Path(os.environ["BENCH_NIGHT_PHOTO"]).read_bytes()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs) -> None:
    if _log is not None:
        _log.write(
            json.dumps(
                {"t": time.time(), "kind": name, "ms": response_time, "ok": exception is None}
            )
            + "\n"
        )


@events.test_stop.add_listener
def _write_accepted(environment, **kwargs) -> None:
    if _log is not None:
        _log.flush()
    path = os.environ.get("BENCH_NIGHT_ACCEPTED")
    if path:
        Path(path).write_text(json.dumps(ACCEPTED))


class WeChatCallbacks(HttpUser):
    """WeChat's servers: a delivery, then the next citizen's (no think time of a person)."""

    weight = 6
    wait_time = between(0.05, 0.15)

    @task
    def deliver(self) -> None:
        from_user = _openid(random.randrange(2000))
        msg_id = _next_msg_id()
        query, body = safe_mode_request(
            CRYPTO,
            TOKEN,
            {
                "ToUserName": ORIGINAL_ID,
                "FromUserName": from_user,
                "CreateTime": int(time.time()),
                "MsgType": "text",
                "Content": random.choice(("我家门口积水很深", "请问安置点在哪里？", "停电了")),
                "MsgId": msg_id,
            },
        )
        with self.client.post(
            f"{CALLBACK}?{query}",
            data=body,
            headers={"Content-Type": "text/xml"},
            name="callback",
            catch_response=True,
            timeout=5,  # WeChat's deadline
        ) as response:
            if response.status_code == 200:
                ACCEPTED["callbacks"].append([from_user, str(msg_id)])
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class H5Reporters(HttpUser):
    """Citizens with the H5 form: open it, fill it in, attach a photo, submit."""

    weight = 2
    wait_time = between(1, 3)

    @task
    def report(self) -> None:
        # The demo has several accounts: the form is opened from one (as its menu links it).
        page = self.client.get(f"/h5/report/?account={ORIGINAL_ID}", name="h5 form")
        token = self.client.cookies.get("csrftoken")
        if page.status_code != 200 or not token:
            return
        marker = f"夜测{_next_msg_id()}"
        with self.client.post(
            "/h5/report/",
            data={
                "csrfmiddlewaretoken": token,
                "account": ORIGINAL_ID,
                "hazard": random.choice(("waterlogging", "landslide", "road_damage")),
                "description": f"台风夜压测：路口积水齐膝，车辆无法通行（{marker}）",
                "phone": f"139{random.randrange(10**8):08d}",
                "address": "闽侯县上街镇",
                "lat": "26.05",
                "lng": "119.20",
            },
            files={"photos": ("photo.jpg", _photo, "image/jpeg")},
            headers={"Referer": page.url},
            name="h5 report with photo",
            catch_response=True,
            timeout=30,
        ) as response:
            if response.status_code == 200 and 'data-testid="ticket"' in response.text:
                ticket = re.search(r'data-testid="ticket">([^<]+)<', response.text)
                ACCEPTED["reports"].append([marker, ticket.group(1) if ticket else ""])
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}, no ticket")


class _Staff(HttpUser):
    abstract = True
    username = ""

    def on_start(self) -> None:
        self.client.get("/signin/", name="sign in")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/signin/",
            data={
                "username": self.username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.client.base_url + "/signin/"},
            name="sign in",
        )


class DutyOfficers(_Staff):
    """A duty officer's browser: the console polls its change feed; the officer opens pages."""

    weight = 2
    wait_time = between(1, 2)
    username = "duty"

    cursor = "0"

    @task(6)
    def changes(self) -> None:
        # As duty/console.js: ask for what changed since the last answer's cursor.
        answer = self.client.get(
            f"/duty/changes/?cursor={self.cursor}", name="console: change feed"
        )
        if answer.status_code == 200:
            self.cursor = str(answer.json().get("cursor", self.cursor))

    @task(2)
    def console(self) -> None:
        self.client.get("/duty/", name="console: duty console")

    @task(2)
    def inbox(self) -> None:
        self.client.get("/inbox/", name="console: 互动 inbox")

    @task(1)
    def reports(self) -> None:
        self.client.get("/reports/", name="console: report list")


class Publishers(_Staff):
    """The operator publishing the night's prepared pushes, one every few seconds."""

    weight = 1
    fixed_count = 1
    wait_time = between(4, 6)
    username = "operator"

    @task
    def publish(self) -> None:
        if not PUSHES:
            return
        push = PUSHES.pop(0)
        page = self.client.get(f"/newsroom/pushes/{push}/", name="newsroom: push page")
        token = self.client.cookies.get("csrftoken", "")
        if page.status_code != 200:
            return
        with self.client.post(
            f"/newsroom/pushes/{push}/publish_now/",
            # 发表 (publish): a subscription account may mass-send (群发) once a day only.
            data={"csrfmiddlewaretoken": token, "mode": "publish"},
            headers={"Referer": page.url},
            name="newsroom: publish",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 302:
                ACCEPTED["pushes"].append(push)
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
