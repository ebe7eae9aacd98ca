"""Who may use the duty console (registered in the one policy; imported from ready()).

The console shows reports with their places, descriptions and photos as they arrive: personal
data, so it is office-only. The map reuses reports' ``reports.view`` (scoped by the reports
selectors) and the dashboard ``reports.metrics.view`` (de-identified figures).
"""

from __future__ import annotations

from zhengwei.access.policy import register, roles_of
from zhengwei.orgs.models import Role

DUTY_CONSOLE = "duty.console.view"

register(
    DUTY_CONSOLE, {Role.DUTY_OFFICER, Role.DUTY_LEADER, Role.OFFICE_LEADER}, personal_data=True
)


def is_duty_leader(user, account) -> bool:
    """The 带班领导 of the account: the console offers them the leader's controls."""
    return Role.DUTY_LEADER in roles_of(user, account)
