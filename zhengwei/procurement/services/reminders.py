"""Tracked deadlines: signing within 30 days of the award, publication within 2 working days and
filing within 7 of signing, and the renewal notice before a contract ends. The scheduled command
``procurement_reminders`` runs ``reminders_run`` (idempotent: each reminder is sent once)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhengwei.lib.events import publish_on_commit
from zhengwei.notify.services import notification_send
from zhengwei.orgs.models import Role, User
from zhengwei.procurement import rules
from zhengwei.procurement.models import Contract, ContractState, Reminder
from zhengwei.procurement.workdays import add_working_days

log = logging.getLogger("zhengwei.procurement")

KINDS: dict[str, tuple[str, str]] = {
    "sign_contract": ("签订合同：成交通知书发出之日起30日内", rules.SIGN),
    "publish_contract": ("合同公告：签订之日起2个工作日内", rules.PUBLISH),
    "file_contract": ("合同备案：签订之日起7个工作日内", rules.FILE),
    "renewal": ("合同即将到期：决定续签或重新采购，并落实下一年度预算", rules.RENEWAL),
}


def kind_label(kind: str) -> str:
    return KINDS.get(kind, (kind, ""))[0]


def renewal_reminders(*, today: date) -> int:
    """A renewal reminder for each signed contract ending within the notice period."""
    horizon = today + timedelta(days=settings.PROCUREMENT_RENEWAL_NOTICE_DAYS)
    created = 0
    for contract in Contract.objects.filter(
        state=ContractState.SIGNED, end__gte=today, end__lte=horizon
    ).select_related("purchase"):
        _r, made = Reminder.objects.get_or_create(
            purchase=contract.purchase, kind="renewal", defaults={"due_on": contract.end}
        )
        created += made
    return created


def _buyers(account) -> list[User]:
    return list(
        User.objects.filter(
            grants__account=account, grants__role=Role.PROCUREMENT_OFFICER, is_active=True
        ).distinct()
    )


def reminders_due(*, today: date):
    """Open reminders due within two working days (or overdue)."""
    return (
        Reminder.objects.filter(done_on=None, due_on__lte=add_working_days(today, 2))
        .select_related("purchase", "purchase__account")
        .order_by("due_on")
    )


def reminders_run(*, today: date | None = None) -> list[Reminder]:
    """Create the renewal reminders, then send each due reminder once: a notification to the
    account's buyers (urgent when overdue), the event ``procurement.reminder_due`` and the log."""
    today = today or timezone.localdate()
    renewal_reminders(today=today)
    sent = []
    for reminder in reminders_due(today=today).filter(sent_at=None):
        with transaction.atomic():
            claimed = Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
                sent_at=timezone.now()
            )
            if not claimed:
                continue  # another scheduler took it
            label, rule = KINDS.get(reminder.kind, (reminder.kind, ""))
            overdue = reminder.due_on < today
            log.warning(
                "procurement reminder %s %s due %s%s",
                reminder.purchase.ocid,
                reminder.kind,
                reminder.due_on,
                " (overdue)" if overdue else "",
            )
            title = f"{reminder.purchase.title}：{label}"
            body = f"截止 {reminder.due_on.isoformat()}{'（已逾期）' if overdue else ''}。{rule}"
            notification_send(
                recipients=_buyers(reminder.purchase.account),
                kind="procurement.reminder",
                title=title,
                body=body,
                url=reverse("procurement:detail", args=[reminder.purchase_id]),
                urgent=overdue,
                account=reminder.purchase.account,
            )
            publish_on_commit(
                "procurement.reminder_due",
                reminder_id=reminder.pk,
                purchase_id=reminder.purchase_id,
                account_id=reminder.purchase.account_id,
                kind=reminder.kind,
                title=title,
                body=body,
                overdue=overdue,
            )
        sent.append(reminder)
    return sent
