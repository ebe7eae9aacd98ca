"""The evidence behind a message indicator lists exactly the conversations the figure counts,
read through the interactions app's aggregates (never its tables)."""

import pytest

from zhengwei.performance.tests.history import november

pytestmark = pytest.mark.django_db


def _rows(client, account, code):
    response = client.get(
        f"/performance/evidence/?account={account.pk}&code={code}&start=2026-11-01&end=2026-12-01"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="evidence-rows"' in body
    return body


def test_the_evidence_of_november_messages_lists_the_four_november_conversations(world, client_for):
    november(world.account)
    body = _rows(client_for(world["office_reviewer"]), world.account, "msg_first_response_time")
    for day in ("2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08"):
        assert day in body
    assert "2026-08-01" not in body


def test_the_evidence_of_overdue_messages_lists_only_the_one_unanswered_for_ninety_days(
    world, client_for
):
    november(world.account)
    body = _rows(client_for(world["office_reviewer"]), world.account, "msg_overdue_90d")
    assert "2026-08-01" in body
    assert "2026-11-08" not in body
