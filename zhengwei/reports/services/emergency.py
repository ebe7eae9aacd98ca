"""Emergency mode: switched on and off by a duty leader or the office leader of the account.

What it changes while on: unacknowledged reports escalate on the shorter acknowledgement
deadlines (REPORT_ACK_EMERGENCY_*), every duty console shows the mode, and the duty desk and the
leaders are told (notification, urgent) when it starts and ends. Each switch is a row
(``EmergencyPeriod``) and an audit entry.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record
from zhengwei.lib.db import lock
from zhengwei.lib.events import publish_on_commit
from zhengwei.notify.services import notification_send
from zhengwei.orgs.models import Role, RoleGrant, User, WeChatAccount
from zhengwei.reports import policy as P
from zhengwei.reports import workflow
from zhengwei.reports.models import EmergencyPeriod

DESK_ROLES = {Role.DUTY_OFFICER, Role.DUTY_LEADER, Role.OFFICE_LEADER}


def emergency_current(account: WeChatAccount) -> EmergencyPeriod | None:
    return (
        EmergencyPeriod.objects.filter(account=account, ended_at__isnull=True)
        .select_related("started_by")
        .first()
    )


def emergency_reason(account: WeChatAccount) -> str:
    """Why emergency mode is on ("" when it is not): the WeChat layer's fast track asks."""
    period = emergency_current(account)
    return _("Emergency mode: %(reason)s") % {"reason": period.reason} if period else ""


def _desk(account: WeChatAccount) -> list[int]:
    return sorted(
        set(
            RoleGrant.objects.filter(
                account=account, role__in=DESK_ROLES, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )


def emergency_start(
    *, actor: User, account: WeChatAccount, reason: str, now: datetime | None = None
) -> EmergencyPeriod:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why emergency mode is switched on.")]})
    require(actor, P.REPORTS_EMERGENCY, account)
    with transaction.atomic():
        lock(account)
        if emergency_current(account) is not None:
            raise ValidationError(_("Emergency mode is already on."))
        period = EmergencyPeriod.objects.create(
            account=account,
            reason=reason[:200],
            started_at=now,
            started_by=actor,
            ack_minutes=workflow.ack_minutes(emergency=True),
            normal_ack_minutes=workflow.ack_minutes(),
        )
        audit_record(actor=actor, action="reports.emergency_start", obj=account, note=reason[:200])
        notification_send(
            recipients=_desk(account),
            kind="reports.emergency",
            title=_("Emergency mode is on: %(reason)s") % {"reason": reason[:100]},
            body=_(
                "Switched on by %(who)s. Unacknowledged reports now escalate after "
                "shorter deadlines."
            )
            % {"who": actor},
            url=reverse("duty:console"),
            urgent=True,
            account=account,
            now=now,
        )
        publish_on_commit("reports.emergency_changed", account_id=account.pk, on=True)
    return period


def emergency_end(*, actor: User, account: WeChatAccount, now: datetime | None = None) -> None:
    now = now or timezone.now()
    require(actor, P.REPORTS_EMERGENCY, account)
    with transaction.atomic():
        lock(account)
        period = emergency_current(account)
        if period is None:
            raise ValidationError(_("Emergency mode is not on."))
        period.ended_at = now
        period.ended_by = actor
        period.save(update_fields=["ended_at", "ended_by"])
        audit_record(actor=actor, action="reports.emergency_end", obj=account)
        notification_send(
            recipients=_desk(account),
            kind="reports.emergency",
            title=_("Emergency mode is off"),
            body=_("Switched off by %(who)s.") % {"who": actor},
            url=reverse("duty:console"),
            account=account,
            now=now,
        )
        publish_on_commit("reports.emergency_changed", account_id=account.pk, on=False)
