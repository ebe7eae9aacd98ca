"""Account registry compliance (govrules (a) row 23), from the filings the office keeps: filed,
under the account's own name and owner, one account per owner and platform, and a closing
account's notice posted."""

from datetime import date

import pytest

from zhengwei.performance import measures
from zhengwei.performance.models import RegistryFiling
from zhengwei.performance.tests.history import NOW
from zhengwei.testing.factories import WeChatAccountFactory

pytestmark = pytest.mark.django_db


def file(account, *, name=None, owner=None, on=date(2026, 3, 1), **kw):
    return RegistryFiling.objects.create(
        account=account,
        registry_number=f"ZW{account.pk:06d}",
        registered_name=name or account.name,
        registered_owner=owner or account.office.name,
        filed_on=on,
        **kw,
    )


def check(account, november):
    got = measures.measure_account(account, *november, now=NOW)["account_registry_ok"]
    return int(got.value), {k: v for k, v in got.detail.items() if k != "filing"}


def test_a_filing_under_the_accounts_own_name_and_owner_passes(november):
    account = WeChatAccountFactory()
    file(account)
    assert check(account, november) == (
        1,
        {"filed": True, "name": True, "owner": True, "one_per_owner": True, "closing_notice": True},
    )


def test_no_filing_fails_rather_than_being_missing(november):
    account = WeChatAccountFactory()
    file(account, on=date(2026, 12, 2))  # filed only after the period
    assert check(account, november) == (0, {"filed": False})


def test_a_name_that_differs_from_the_filing_fails(november):
    account = WeChatAccountFactory()
    file(account, name="福建防汛（旧名）")
    ok, checks = check(account, november)
    assert ok == 0 and checks["name"] is False and checks["owner"] is True


def test_a_second_account_of_the_same_owner_fails_and_the_first_keeps_its_place(november):
    first = WeChatAccountFactory()
    second = WeChatAccountFactory(office=first.office)
    file(first, on=date(2026, 2, 1))
    file(second, on=date(2026, 4, 1))
    assert check(first, november)[0] == 1
    ok, checks = check(second, november)
    assert ok == 0 and checks["one_per_owner"] is False


def test_a_closing_account_needs_its_notice(november):
    account = WeChatAccountFactory()
    filing = file(account, closing_on=date(2026, 11, 20))
    ok, checks = check(account, november)
    assert ok == 0 and checks["closing_notice"] is False
    filing.stop_notice_url = "https://mp.weixin.qq.com/s/stop"
    filing.save()
    assert check(account, november)[0] == 1
