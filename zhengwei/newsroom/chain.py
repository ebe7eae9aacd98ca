"""The review chain an article goes through: the account's configured levels, or the defaults.

Default 三审 (normal): 初审 by the contractor's editor (wording), 复审 by the office reviewer
(facts), 终审 by the office leader (direction; decides publication). Emergency fast track: 初审
by the editor within 15 minutes, 终审 by the office leader within 30 minutes, else escalated to
the duty leader. In the independent model the office holds the editor role itself, so the same
chain runs inside the office; in the collaborative model the chain is shared as configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengwei.newsroom.models import ChainMode, ChainStep
from zhengwei.orgs.models import Role


@dataclass(frozen=True)
class Level:
    order: int
    name: str
    role: str
    time_limit_minutes: int = 0
    escalate_to: str = ""


DEFAULTS: dict[str, list[Level]] = {
    ChainMode.NORMAL: [
        Level(1, "初审", Role.EDITOR),
        Level(2, "复审", Role.OFFICE_REVIEWER),
        Level(3, "终审", Role.OFFICE_LEADER),
    ],
    ChainMode.EMERGENCY: [
        Level(1, "初审", Role.EDITOR, 15, Role.PROJECT_MANAGER),
        Level(2, "终审", Role.OFFICE_LEADER, 30, Role.DUTY_LEADER),
    ],
}


def chain_for(account, mode: str = ChainMode.NORMAL) -> list[Level]:
    rows = ChainStep.objects.filter(account=account, mode=mode).order_by("order")
    levels = [Level(r.order, r.name, r.role, r.time_limit_minutes, r.escalate_to) for r in rows]
    return levels or list(DEFAULTS[mode])
