"""The per-process group committer: many request threads, few transactions, every row durable."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound.models import CallbackRejection, InboundMessage
from zhengwei.wechat.inbound.store import GroupCommitter, Row, StoreError

pytestmark = pytest.mark.django_db(transaction=True)


def _row(account_id, key, reply=""):
    return Row(
        account_id=account_id,
        dedupe_key=key,
        from_user="oX",
        kind="message",
        msg_type="text",
        event="",
        event_key="",
        msg_id=key,
        create_time=1,
        received_at=timezone.now(),
        raw_xml="<xml/>",
        fields={"Content": key},
        mode="safe",
        known=True,
        reply_xml=reply,
    )


@pytest.fixture
def committer():
    kicks = []
    gc = GroupCommitter(
        max_batch=16, max_wait=0.005, timeout=10, on_stored=lambda: kicks.append(1), kick_interval=0
    )
    gc.kicks = kicks
    yield gc
    gc.close()


def test_concurrent_deliveries_share_commits_and_each_is_durable(committer):
    account = WeChatAccountFactory()
    rows = [_row(account.pk, f"k{i}") for i in range(60)]
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(committer.save, rows))
    assert all(r.created for r in results)
    assert InboundMessage.objects.count() == 60
    assert committer.rows == 60
    assert committer.batches < 60  # commits were shared
    assert committer.kicks  # processing was told


def test_the_same_delivery_from_many_threads_is_created_once_and_retries_get_its_reply(committer):
    account = WeChatAccountFactory()
    rows = [_row(account.pk, "same", reply=f"<xml>{i}</xml>") for i in range(12)]
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(committer.save, rows))
    assert sum(r.created for r in results) == 1
    winner = next(r for r in results if r.created)
    assert {r.reply_xml for r in results} == {winner.reply_xml}
    assert InboundMessage.objects.count() == 1


def test_a_failed_commit_fails_the_whole_batch_so_nothing_is_acknowledged(committer):
    with pytest.raises(StoreError):
        committer.save(_row(999_999, "orphan"))  # no such account: the foreign key refuses it
    assert not InboundMessage.objects.exists()


def test_rejections_are_written_without_making_the_request_wait(committer):
    account = WeChatAccountFactory()
    committer.reject(
        CallbackRejection(reason="bad_signature", status=403, path="/x", ip="10.0.0.1")
    )
    committer.save(_row(account.pk, "after"))  # the writer took the rejection in this round
    deadline = time.monotonic() + 5
    while not CallbackRejection.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert CallbackRejection.objects.get().ip == "10.0.0.1"
