"""WeChat's retry storm against two real server processes: one row, one side effect.

Two gunicorn processes serve the project's WSGI entry point (the lean callback path with group
commit) against this test's database; the same message is fired three times at once, split over
both. Works on SQLite (the test database is a file) and PostgreSQL (DATABASE_URL).
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from zhengwei.audit.models import AuditEntry
from zhengwei.lib import wxxml
from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound.models import InboundMessage, KeywordReply
from zhengwei.wechat.inbound.tests.helpers import build_request, crypto_for, text_fields
from zhengwei.wechat.inbound.tests.servers import gunicorn_servers, wait_until
from zhengwei.wechat.inbound.tests.storm_app import SIDE_EFFECT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def servers(transactional_db):  # after the test database exists, so its name is known
    yield from gunicorn_servers(
        "zhengwei.wechat.inbound.tests.storm_app:application",
        ["--worker-class", "gthread", "--threads", "8"],
    )


def test_a_retry_storm_over_two_processes_stores_once_and_acts_once(servers):
    account = WeChatAccountFactory(message_mode="safe")
    KeywordReply.objects.create(account=account, keyword="雨情", reply_text="今日雨情：小雨")
    path, body = build_request(account, text_fields(account, "雨情"))
    targets = [servers[0], servers[1], servers[0]]
    with ThreadPoolExecutor(3) as pool:
        responses = list(
            pool.map(lambda base: requests.post(base + path, data=body, timeout=10), targets)
        )
    assert [r.status_code for r in responses] == [200, 200, 200]
    # Every delivery, first or retry, carries the same passive reply.
    replies = {
        wxxml.xml_to_dict(crypto_for(account).decrypt_reply(r.content))["Content"]
        for r in responses
    }
    assert replies == {"今日雨情：小雨"}
    assert InboundMessage.objects.count() == 1
    wait_until(lambda: InboundMessage.objects.filter(state="processed").exists())
    time.sleep(0.3)  # let any (wrong) second processing show itself
    assert AuditEntry.objects.filter(action=SIDE_EFFECT).count() == 1


def test_many_messages_each_delivered_twice_to_both_processes_are_each_handled_once(servers):
    account = WeChatAccountFactory(message_mode="safe")
    requests_ = [build_request(account, text_fields(account, f"第{i}条")) for i in range(30)]
    jobs = [(servers[i % 2], r) for i, r in enumerate(requests_)]
    jobs += [(servers[(i + 1) % 2], r) for i, r in enumerate(requests_)]
    with ThreadPoolExecutor(16) as pool:
        statuses = list(
            pool.map(
                lambda j: requests.post(j[0] + j[1][0], data=j[1][1], timeout=10).status_code, jobs
            )
        )
    assert statuses == [200] * 60
    assert InboundMessage.objects.count() == 30
    wait_until(lambda: InboundMessage.objects.filter(state="processed").count() == 30)
    time.sleep(0.3)
    assert AuditEntry.objects.filter(action=SIDE_EFFECT).count() == 30
