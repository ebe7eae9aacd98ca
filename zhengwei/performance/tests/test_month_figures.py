"""Kept months (``MonthFigures``): a stored month gives exactly the figures its records give, a
year reads its kept months, a late change sends the month back to its records, and a month whose
deadlines are still to come is not kept."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from zhengwei.interactions.models import Conversation
from zhengwei.interactions.services import conversation_resolve
from zhengwei.performance import dashboard, measures, services
from zhengwei.performance.models import MonthFigures
from zhengwei.performance.tests.history import NOW, at, conversation, november
from zhengwei.testing.factories import WeChatAccountFactory

pytestmark = pytest.mark.django_db
NOV = (date(2026, 11, 1), date(2026, 12, 1))
YEAR = (date(2026, 1, 1), date(2027, 1, 1))


def values(account, start, end):
    return {c: m.value for c, m in measures.measure_account(account, start, end, now=NOW).items()}


def history(account):
    november(account)
    conversation(account, at(10, 2, 9), first=1.5, resolved=30, escalated=0.25)
    conversation(account, at(10, 20, 14), first=26, resolved=26)
    conversation(account, at(9, 30, 23), first=0.1)


def test_a_kept_month_and_a_kept_year_give_the_figures_of_their_records():
    account = WeChatAccountFactory()
    history(account)
    live_month, live_year = values(account, *NOV), values(account, *YEAR)
    live_charts = dashboard.account_months(account, *YEAR, now=NOW)

    kept = services.month_figures_store(now=NOW, account_ids=[account.pk])
    assert kept == 24  # Dec 2024 … Nov 2026, empty months included
    row = MonthFigures.objects.get(account=account, month=date(2026, 11, 1))
    assert row.messages["received"] == 4 and row.stale is False

    assert values(account, *NOV) == live_month
    assert values(account, *YEAR) == live_year
    assert live_year["msg_first_response_time"] == D("4.00")  # 0.1 1.5 2 6 10 26 h: (2 + 6) / 2
    assert dashboard.account_months(account, *YEAR, now=NOW) == live_charts

    # … and it is the kept row that was read: change it, and the year moves with it.
    row.messages["first_response"] = {"36000": 99}
    row.save()
    assert values(account, *YEAR)["msg_first_response_time"] == D("10.00")


def test_a_late_change_sends_the_month_back_to_its_records(
    world, django_capture_on_commit_callbacks
):
    history(world.account)
    services.month_figures_store(now=NOW, account_ids=[world.account.pk])
    before = values(world.account, *NOV)
    late = Conversation.objects.get(account=world.account, created_at=at(11, 8, 9))

    with django_capture_on_commit_callbacks(execute=True):
        conversation_resolve(actor=world["office_reviewer"], conversation=late, now=NOW)

    row = MonthFigures.objects.get(account=world.account, month=date(2026, 11, 1))
    assert row.stale is True
    after = values(world.account, *NOV)
    assert after["msg_resolved_in_sla"] == before["msg_resolved_in_sla"]  # late: not in time…
    assert after["interaction_channel_ok"] == D(1)
    assert services.month_figures_store(now=NOW, account_ids=[world.account.pk]) == 1
    row = MonthFigures.objects.get(account=world.account, month=date(2026, 11, 1))
    # Nov 5 and Nov 6 were resolved in the hand-made November; now Nov 8 too.
    assert row.stale is False and row.messages["resolved"] == 3


def test_a_month_with_a_deadline_still_to_come_is_not_kept():
    account = WeChatAccountFactory()
    november(account)
    open_one = conversation(account, at(11, 29, 9))
    Conversation.objects.filter(pk=open_one.pk).update(resolution_due=NOW + timedelta(days=3))
    services.month_figures_store(now=NOW, account_ids=[account.pk])
    assert not MonthFigures.objects.filter(account=account, month=date(2026, 11, 1)).exists()
    assert MonthFigures.objects.filter(account=account, month=date(2026, 10, 1)).exists()
    assert values(account, *NOV)["msg_overdue_90d"] == D(1)
