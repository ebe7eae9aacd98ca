"""On SQLite the web workers' group committers take turns through a file lock beside the
database, so a writer waiting for another is woken when it finishes instead of sleeping in
SQLite's busy handler (up to 100 ms a time: the embedded callback's p99, issue #9)."""

import fcntl
import os
import threading
import time

import pytest
from django.db import connection

from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.test_group_commit import _row, committer  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer"),
]


def test_a_new_delivery_waits_for_the_writer_lock_another_process_holds(committer):  # noqa: F811
    account = WeChatAccountFactory()
    fd = os.open(f"{connection.settings_dict['NAME']}.writer-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process is writing
    results = []
    saver = threading.Thread(target=lambda: results.append(committer.save(_row(account.pk, "k"))))
    try:
        saver.start()
        time.sleep(0.5)
        assert results == []
        assert not InboundMessage.objects.filter(dedupe_key="k").exists()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    saver.join(10)
    assert results and results[0].created
    assert InboundMessage.objects.filter(dedupe_key="k").count() == 1
