"""An account's indicators before and after its change of operation model, the change taken from
the account's history."""

import pytest

from zhengwei.orgs.models import OperationModel
from zhengwei.orgs.services import account_update
from zhengwei.performance.tests.history import november

pytestmark = pytest.mark.django_db
URL = "/performance/model-change/"


def test_the_change_comes_from_the_accounts_history_and_is_compared(world, client_for):
    november(world.account)
    account_update(
        actor=world["system_admin"],
        account=world.account,
        operation_model=OperationModel.COLLABORATIVE,
        confirm_model=OperationModel.COLLABORATIVE,
    )
    client = client_for(world["office_leader"])
    page = client.get(f"{URL}?account={world.account.pk}")
    assert page.status_code == 200 and 'data-testid="model-changes"' in page.text
    changes = page.context["changes"]
    assert [(c.old, c.new) for c in changes] == [
        (str(OperationModel.DELEGATED.label), str(OperationModel.COLLABORATIVE.label))
    ]
    assert page.context["on"] == changes[0].day and 'id="before-after-data"' in page.text

    # Around 1 November, a month each side: October had no messages, November's first
    # responses took 2, 6 and 10 hours (median 6); the longest gap without a post shrank.
    page = client.get(f"{URL}?account={world.account.pk}&on=2026-11-01&months=1")
    rows = {r["code"]: r for r in page.context["data"]["indicators"]}
    assert rows["msg_first_response_time"]["before"] is None
    assert rows["msg_first_response_time"]["after"] == 6.0
    assert page.context["data"]["before"] == ["2026-10-01", "2026-11-01"]
    assert 'data-testid="before-after-table"' in page.text


def test_without_a_recorded_change_the_page_says_so(world, client_for):
    page = client_for(world["office_reviewer"]).get(f"{URL}?account={world.account.pk}")
    assert page.status_code == 200 and page.context["changes"] == []
    assert page.context["data"] is None and 'data-testid="model-changes"' in page.text


def test_a_person_without_the_account_cannot_see_it(world, client_for):
    page = client_for(world.outsider).get(f"{URL}?account={world.account.pk}")
    assert page.status_code in (403, 404) and "before-after" not in page.text
