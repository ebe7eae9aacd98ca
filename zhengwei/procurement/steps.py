"""The twelve steps, in order, and the named artefact each produces (govrules.md §(b))."""

from __future__ import annotations

from zhengwei.procurement.models import STEP_ORDER, Method, Step

ARTEFACT_NAMES: dict[str, str] = {
    Step.ELIGIBILITY: "购买服务事项确认单",
    Step.BUDGET: "预算批复及绩效目标表",
    Step.REQUIREMENTS: "采购需求",
    Step.ROUTING: "采购方式确定记录",
    Step.QUALIFICATION: "资格审查表",
    Step.EVALUATION: "比价/评审表",
    Step.AWARD: "成交通知书",
    Step.CONTRACT: "政府购买服务合同",
    Step.MONITORING: "绩效运行监控记录",
    Step.ACCEPTANCE: "履约验收书",
    Step.PAYMENT: "付款记录",
    Step.RENEWAL: "续签或重新采购决定",
}

# Steps that recur after their first artefact (each month or period) while the contract runs.
RECURRING = {Step.MONITORING, Step.ACCEPTANCE, Step.PAYMENT}

# Minimum days from the solicitation documents to the response deadline: (days, working days?).
MIN_PERIOD: dict[str, tuple[int, bool]] = {
    Method.OPEN_TENDER: (20, False),
    Method.INVITED_TENDER: (20, False),
    Method.CONSULTATION: (10, False),
    Method.NEGOTIATION: (3, True),
    Method.BELOW_LIMIT: (3, True),
}

# Minimum number of qualified suppliers to evaluate (single source: one by definition).
MIN_SUPPLIERS: dict[str, int] = {
    Method.OPEN_TENDER: 3,
    Method.INVITED_TENDER: 3,
    Method.CONSULTATION: 3,
    Method.NEGOTIATION: 3,
    Method.BELOW_LIMIT: 3,
    Method.SINGLE_SOURCE: 1,
    Method.CENTRALISED: 1,
    Method.FRAMEWORK: 1,
}


def next_step(step: str) -> str | None:
    i = STEP_ORDER.index(step)
    return STEP_ORDER[i + 1] if i + 1 < len(STEP_ORDER) else None


def reached(purchase, step: str) -> bool:
    """The purchase is at ``step`` or past it."""
    return STEP_ORDER.index(purchase.step) >= STEP_ORDER.index(step)
