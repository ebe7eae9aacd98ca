"""Who may read the delivery log (registered in the one policy; imported from ready()).

Everyone reads their own notifications (``console.view``). The delivery log shows which staff
member was told what on which channel (addresses masked): the administrators, the auditors and
the leaders who answer for escalation read it.
"""

from __future__ import annotations

from zhengwei.access.policy import register
from zhengwei.orgs.models import Role

NOTIFY_DELIVERIES = "notify.deliveries.view"

register(
    NOTIFY_DELIVERIES,
    {Role.SYSTEM_ADMIN, Role.AUDITOR, Role.OFFICE_LEADER, Role.DUTY_LEADER},
)
