"""Typo rate (govrules (a) row 7): typos confirmed on the newsroom's published text plus those the
office recorded on posts, per 10,000 characters the newsroom published in the period."""

from decimal import Decimal as D

import pytest

from zhengwei.newsroom.models import Finding
from zhengwei.performance import measures
from zhengwei.performance.models import Incident, IncidentKind
from zhengwei.performance.tests.history import NOW, at, newsroom_article
from zhengwei.testing.factories import WeChatAccountFactory

pytestmark = pytest.mark.django_db


def test_typos_are_counted_per_ten_thousand_published_characters(november):
    account = WeChatAccountFactory()
    # 10 + 1,990 characters (spaces not counted), and 8 + 1,992 = 4,000 characters in all.
    one = newsroom_article(
        account, at(11, 3), title="全省防汛应急响应启动", body="<p>" + "汛" * 1990 + " </p>"
    )
    newsroom_article(
        account, at(11, 9), title="撤离转移通知发布", body="<p>" + "水" * 1992 + "</p>"
    )
    typo = dict(article=one, revision=one.approved_revision, kind="typo", text="撒离")
    Finding.objects.create(**typo, state="confirmed")
    Finding.objects.create(**typo, state="confirmed")  # the same typo found twice: counted once
    Finding.objects.create(**{**typo, "text": "防汎"}, state="dismissed")  # not a typo after all
    Incident.objects.create(
        account=account,
        kind=IncidentKind.TYPO,
        occurred_at=at(11, 20),
        description="“撤离”误作“撒离”",
    )
    # Outside the period: neither its text nor its typo count.
    newsroom_article(account, at(12, 1), title="十二月", body="<p>" + "雨" * 5000 + "</p>")

    got = measures.measure_account(account, *november, now=NOW)["typo_rate"]
    # (1 confirmed + 1 recorded) × 10,000 / 4,000 = 5 per 10,000 characters.
    assert got.value == D("5.00")
    assert got.detail["characters"] == 4000 and got.detail["recorded"] == 1


def test_without_published_text_the_rate_is_missing_not_zero(november):
    account = WeChatAccountFactory()
    got = measures.measure_account(account, *november, now=NOW)["typo_rate"]
    assert got.value is None and got.detail["characters"] == 0
