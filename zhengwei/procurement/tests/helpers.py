"""Building blocks for procurement tests: a supplier, and a contract straight in the database
(for tests of what reads contracts; the step-by-step path has its own tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhengwei.procurement.models import (
    Bid,
    Contract,
    Level,
    Purchase,
    ServiceLevel,
    Step,
    Supplier,
)

_n = iter(range(1, 10**6))


def make_supplier(*, organisation=None, name="测试传媒有限公司") -> Supplier:
    n = next(_n)
    return Supplier.objects.create(
        name=f"{name}{n}" if n > 1 else name,
        credit_code=f"91350100MA{n:08d}",
        organisation=organisation,
        is_sme=True,
    )


def make_contract(
    account,
    *,
    supplier=None,
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
    value=Decimal("198000.00"),
    levels=(("original_ratio", "60", "10", "2"), ("days_since_last_post", "13", "10", "5")),
) -> Contract:
    supplier = supplier or make_supplier(organisation=account.contractor)
    purchase = Purchase.objects.create(
        account=account,
        ocid=f"ocds-zw0tst-h{next(_n)}",
        title="政务微信运营服务",
        year=start.year,
        level=Level.PROVINCIAL,
        step=Step.MONITORING,
        estimated_total=value,
    )
    Bid.objects.create(purchase=purchase, supplier=supplier, amount=value, submitted_on=start)
    contract = Contract.objects.create(
        purchase=purchase,
        account=account,
        supplier=supplier,
        number=f"HT-{start.year}-{purchase.pk}",
        value=value,
        signed_on=start,
        start=start,
        end=end,
    )
    for i, (code, target, points, deduction) in enumerate(levels):
        ServiceLevel.objects.create(
            contract=contract,
            indicator=code,
            target=Decimal(target),
            points=Decimal(points),
            deduction_percent=Decimal(deduction),
            position=i,
        )
    return contract
