from datetime import date

from zhengwei.lib import indicators
from zhengwei.procurement.models import ContractState
from zhengwei.procurement.selectors import contract_current, contracts_for, service_levels
from zhengwei.procurement.tests.helpers import make_contract


def test_the_contract_in_force_on_a_day_is_found(world):
    last = make_contract(world.account, start=date(2025, 1, 1), end=date(2025, 12, 31))
    this = make_contract(world.account, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert contract_current(account=world.account, on=date(2025, 12, 31)) == last
    assert contract_current(account=world.account, on=date(2026, 1, 1)) == this
    assert contract_current(account=world.account, on=date(2027, 1, 1)) is None


def test_a_terminated_contract_is_not_current(world):
    contract = make_contract(world.account)
    contract.state = ContractState.TERMINATED
    contract.save()
    assert contract_current(account=world.account, on=date(2026, 6, 1)) is None


def test_another_accounts_contract_is_not_current(world):
    from zhengwei.testing.factories import WeChatAccountFactory

    make_contract(WeChatAccountFactory())
    assert contract_current(account=world.account, on=date(2026, 6, 1)) is None


def test_service_levels_come_in_table_order_with_their_catalogue_entry(world):
    contract = make_contract(world.account)
    levels = service_levels(contract)
    assert [lv.indicator for lv in levels] == ["original_ratio", "days_since_last_post"]
    assert levels[0].spec is indicators.get("original_ratio")
    assert levels[0].label == "原创率"
    assert levels[0].met(70) and not levels[0].met(50)
    assert levels[1].met(3) and not levels[1].met(14)


def test_contracts_in_a_period_are_those_overlapping_it_end_exclusive(world):
    last = make_contract(world.account, start=date(2025, 1, 1), end=date(2025, 12, 31))
    this = make_contract(world.account, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert contracts_for(account=world.account, start=date(2025, 12, 1), end=date(2026, 1, 1)) == [
        last
    ]
    assert contracts_for(account=world.account, start=date(2025, 12, 1), end=date(2026, 2, 1)) == [
        last,
        this,
    ]
