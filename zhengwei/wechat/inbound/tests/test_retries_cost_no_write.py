"""A WeChat retry of a stored delivery is answered from a read: on SQLite it never takes the
database's single write lock, so a retry storm costs no more than new messages (issue #9)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.store import insert_rows
from zhengwei.wechat.inbound.tests.test_group_commit import _row

pytestmark = pytest.mark.django_db


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the read-first path is SQLite's")
def test_a_batch_of_retries_is_answered_without_an_insert_on_sqlite():
    account = WeChatAccountFactory()
    insert_rows([_row(account.pk, "k1", reply="<xml>first</xml>"), _row(account.pk, "k2")])
    with CaptureQueriesContext(connection) as queries:
        results = insert_rows(
            [_row(account.pk, "k1", reply="<xml>later</xml>"), _row(account.pk, "k2")]
        )
    assert _writes(queries.captured_queries) == []
    assert [r.created for r in results] == [False, False]
    assert results[0].reply_xml == "<xml>first</xml>"  # the first delivery's answer


def test_a_batch_mixing_retries_and_new_deliveries_stores_only_the_new_ones_once():
    account = WeChatAccountFactory()
    insert_rows([_row(account.pk, "old", reply="<xml>kept</xml>")])
    results = insert_rows(
        [_row(account.pk, "old"), _row(account.pk, "new"), _row(account.pk, "new")]
    )
    assert [r.created for r in results] == [False, True, False]
    assert results[0].reply_xml == "<xml>kept</xml>"
    assert sorted(
        InboundMessage.objects.filter(account=account).values_list("dedupe_key", flat=True)
    ) == ["new", "old"]
