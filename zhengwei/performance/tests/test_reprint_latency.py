"""Reprint latency (govrules (a) row 10): hours from a superior's designation to the account's
reprint — a newsroom article naming the same source link, or a time the office entered — with a
reprint still missing counted at the hours it has waited."""

from decimal import Decimal as D

import pytest

from zhengwei.performance import measures
from zhengwei.performance.models import ReprintRequest
from zhengwei.performance.tests.history import NOW, at, newsroom_article
from zhengwei.testing.factories import WeChatAccountFactory

pytestmark = pytest.mark.django_db
URL = "https://www.mem.gov.cn/xw/2026/notice-{}.html"


def designate(account, n, when, reprinted_at=None):
    return ReprintRequest.objects.create(
        account=account,
        title=f"应急管理部通知{n}",
        source_url=URL.format(n),
        designated_by="应急管理部",
        designated_at=when,
        reprinted_at=reprinted_at,
    )


def test_the_median_reprint_time_counts_a_missing_reprint_as_waiting(november):
    account = WeChatAccountFactory()
    designate(account, 1, at(11, 2, 8))
    newsroom_article(
        account, at(11, 2, 11), title="转载一", body="<p>转</p>", source_url=URL.format(1)
    )
    designate(account, 2, at(11, 10, 8), reprinted_at=at(11, 10, 20))  # entered by hand: 12 h
    designate(account, 3, at(11, 30, 8))  # never reprinted: waited 16 h to the period's end
    designate(account, 4, at(10, 30, 8))  # designated in October: not this period's

    got = measures.measure_account(account, *november, now=NOW)["reprint_latency"]
    assert got.value == D("12.00")  # median of 3, 12 and 16 hours
    assert got.detail == {"designated": 3, "waiting": 1}


def test_without_designated_articles_the_latency_is_missing(november):
    account = WeChatAccountFactory()
    assert measures.measure_account(account, *november, now=NOW)["reprint_latency"].value is None
