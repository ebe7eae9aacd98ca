"""The ASGI callback path (zhengwei/asgi.py, gunicorn's asyncio worker, async group committer)
against real server processes. PostgreSQL only: the ASGI entry point refuses SQLite."""

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings

from zhengwei.audit.models import AuditEntry
from zhengwei.lib import wxxml
from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound.models import CallbackRejection, InboundMessage, KeywordReply
from zhengwei.wechat.inbound.tests.helpers import build_request, crypto_for, text_fields
from zhengwei.wechat.inbound.tests.servers import gunicorn_servers, wait_until
from zhengwei.wechat.inbound.tests.storm_app import SIDE_EFFECT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the ASGI callback path needs PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]


@pytest.fixture
def servers(transactional_db):
    yield from gunicorn_servers(
        "zhengwei.wechat.inbound.tests.storm_asgi_app:application", ["--worker-class", "asgi"]
    )


def test_safe_mode_messages_are_stored_exactly_once_and_answered_success(servers):
    account = WeChatAccountFactory(message_mode="safe")
    requests_ = [build_request(account, text_fields(account, f"第{i}条")) for i in range(40)]
    with ThreadPoolExecutor(16) as pool:
        responses = list(
            pool.map(
                lambda ir: requests.post(servers[ir[0] % 2] + ir[1][0], data=ir[1][1], timeout=10),
                enumerate(requests_),
            )
        )
    assert [r.status_code for r in responses] == [200] * 40
    assert {r.content for r in responses} == {wxxml.SUCCESS}
    assert InboundMessage.objects.filter(account=account).count() == 40
    assert set(InboundMessage.objects.values_list("mode", flat=True)) == {"safe"}
    try:
        wait_until(lambda: InboundMessage.objects.filter(state="processed").count() == 40)
    except AssertionError:
        states = list(InboundMessage.objects.values_list("state", "attempts", "error"))
        raise AssertionError(f"not all processed: {states}") from None


def test_concurrent_retries_over_two_processes_store_one_row_and_act_once(servers):
    account = WeChatAccountFactory(message_mode="safe")
    path, body = build_request(account, text_fields(account, "你好"))
    targets = [servers[0], servers[1], servers[0], servers[1]]
    with ThreadPoolExecutor(4) as pool:
        statuses = list(
            pool.map(lambda base: requests.post(base + path, data=body, timeout=10), targets)
        )
    assert [r.status_code for r in statuses] == [200] * 4
    assert InboundMessage.objects.count() == 1
    wait_until(lambda: InboundMessage.objects.filter(state="processed").exists())
    time.sleep(0.3)  # let any (wrong) second processing show itself
    assert AuditEntry.objects.filter(action=SIDE_EFFECT).count() == 1


def test_a_keyword_reply_comes_back_encrypted_and_a_retry_gets_the_same_reply(servers):
    account = WeChatAccountFactory(message_mode="safe")
    KeywordReply.objects.create(account=account, keyword="雨情", reply_text="今日雨情：小雨")
    path, body = build_request(account, text_fields(account, "雨情"))
    first = requests.post(servers[0] + path, data=body, timeout=10)
    retry = requests.post(servers[1] + path, data=body, timeout=10)
    for response in (first, retry):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/xml")
        assert b"<Encrypt>" in response.content
        reply = wxxml.xml_to_dict(crypto_for(account).decrypt_reply(response.content))
        assert reply["Content"] == "今日雨情：小雨"
    assert InboundMessage.objects.count() == 1


def test_a_bad_signature_is_refused_with_403_and_recorded(servers):
    account = WeChatAccountFactory(message_mode="safe")
    path, body = build_request(account, text_fields(account))
    path = path.replace("signature=", "signature=0", 1)
    response = requests.post(servers[0] + path, data=body, timeout=10)
    assert response.status_code == 403
    assert response.content == b"bad_signature"
    wait_until(lambda: CallbackRejection.objects.filter(reason="bad_signature").exists())
    rejection = CallbackRejection.objects.get(reason="bad_signature")
    assert (rejection.account_id, rejection.status) == (account.id, 403)
    assert InboundMessage.objects.count() == 0


def test_console_pages_are_served_by_django_on_the_same_entry_point(servers):
    response = requests.get(servers[0] + "/", timeout=10, allow_redirects=False)
    assert response.status_code in (200, 302)


def test_a_huge_content_length_is_refused_at_once_without_waiting_for_the_body(servers):
    account = WeChatAccountFactory(message_mode="safe")
    path, _ = build_request(account, text_fields(account))
    host, port = servers[0].removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml\r\n"
        "Content-Length: 1000000000000\r\n\r\n"
    )
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head.encode())  # and no body at all
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 3
    wait_until(lambda: CallbackRejection.objects.filter(reason="too_large").exists())
    assert InboundMessage.objects.count() == 0
