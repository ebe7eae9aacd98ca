"""WCI (govrules (a) row 16) from the stored daily article figures (getarticleread)."""

import math
from datetime import date
from decimal import Decimal as D

import pytest

from zhengwei.performance import measures
from zhengwei.performance.tests.history import NOW
from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.outbound.models import DatacubeRow

pytestmark = pytest.mark.django_db


def article_day(account, day, msgid, reads, zaikan=0, likes=0, shares=0):
    DatacubeRow.objects.create(
        account=account,
        endpoint="getarticleread",
        ref_date=day,
        key=f"msgid={msgid}",
        data={
            "ref_date": day.isoformat(),
            "msgid": msgid,
            "detail": {
                "read_user": reads,
                "zaikan_user": zaikan,
                "like_user": likes,
                "share_user": shares,
            },
        },
    )


def test_the_index_is_computed_from_the_articles_of_the_period(november):
    account = WeChatAccountFactory()
    # A headline read 600 + 300 on two days, a second article 200; 30 days in November.
    article_day(account, date(2026, 11, 3), "900_1", 600, zaikan=6, likes=12, shares=30)
    article_day(account, date(2026, 11, 4), "900_1", 300, zaikan=3, likes=3)
    article_day(account, date(2026, 11, 3), "900_2", 200, shares=10)
    article_day(account, date(2026, 12, 1), "901_1", 99999)  # December: not counted

    def part(r, z, lk, s):
        return (
            0.7 * math.log(r + 1)
            + 0.09 * math.log(10 * z + 1)
            + 0.06 * math.log(10 * lk + 1)
            + 0.15 * math.log(10 * s + 1)
        )

    o = part(1100 / 30, 9 / 30, 15 / 30, 40 / 30)
    a = part(1100 / 2, 9 / 2, 15 / 2, 40 / 2)
    h = part(900 / 30, 9 / 30, 15 / 30, 30 / 30)
    p = part(900, 9, 15, 30)
    expected = round((0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p) ** 2 * 12, 2)

    got = measures.measure_account(account, *november, now=NOW)["wci"]
    assert got.value == D(str(expected)) and got.detail == {"articles": 2}


def test_without_article_figures_there_is_no_index(november):
    account = WeChatAccountFactory()
    assert measures.measure_account(account, *november, now=NOW)["wci"].value is None
