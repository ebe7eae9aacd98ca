"""The veto watch (单项否决): the national inspection's fail conditions watched continuously,
with an amber warning before they happen, sent to the office and the contractor.

Conditions (govrules.md §2.2, (a) rows 1–6):
- no update: days since the last post ≥ 14 is the veto; ≥ PERFORMANCE_AMBER_DAYS (7) is amber;
- no working interaction: messages received in the last 14 days and none answered;
- a serious error, leak or prohibited content recorded in the last 30 days;
- menu links failing on the last 3 daily probes.
An alert opens once per condition and level and clears itself when the condition is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.audit.services import audit_record
from zhengwei.interactions import aggregates as conversations
from zhengwei.lib.events import publish_on_commit
from zhengwei.notify.services import notification_send
from zhengwei.orgs.models import Role, WeChatAccount
from zhengwei.orgs.selectors import grants_for
from zhengwei.performance.measures import PERSISTENT_FAILURES
from zhengwei.performance.models import (
    VETO_INCIDENTS,
    AlertLevel,
    Incident,
    MenuProbe,
    Publication,
    VetoAlert,
    VetoCondition,
)

VETO_DAYS = 14
# Who hears of an alert: the office's supervisors and the contractor's project manager.
ALERTED_ROLES = {Role.OFFICE_LEADER, Role.OFFICE_REVIEWER, Role.PROJECT_MANAGER}


def _recipients(account: WeChatAccount) -> list[int]:
    return sorted(
        {
            g.user_id
            for g in grants_for(account=account)
            if g.role in ALERTED_ROLES and g.user.is_active
        }
    )


def _conditions(
    accounts: list[WeChatAccount], now: datetime
) -> dict[int, dict[str, tuple[str, str]]]:
    """{account id: {condition: (level, detail)}} of what holds now."""
    ids = [a.pk for a in accounts]
    found: dict[int, dict[str, tuple[str, str]]] = {pk: {} for pk in ids}
    amber = settings.PERFORMANCE_AMBER_DAYS
    last = dict(
        Publication.objects.filter(account_id__in=ids, ok=True, published_at__lte=now)
        .values("account_id")
        .annotate(last=Max("published_at"))
        .values_list("account_id", "last")
    )
    for a in accounts:
        since = last.get(a.pk)
        days = (now - since).days if since else None
        if since is None:
            found[a.pk][VetoCondition.NO_UPDATE] = (AlertLevel.VETO, _("Nothing published yet."))
        elif days >= VETO_DAYS:
            found[a.pk][VetoCondition.NO_UPDATE] = (
                AlertLevel.VETO,
                _("No post for %(days)s days (the inspection fails an account at 14).")
                % {"days": days},
            )
        elif days >= amber:
            found[a.pk][VetoCondition.NO_UPDATE] = (
                AlertLevel.AMBER,
                _("No post for %(days)s days: publish before day 14 (on %(day)s).")
                % {"days": days, "day": timezone.localtime(since + timedelta(days=14)).date()},
            )
    window = now - timedelta(days=VETO_DAYS)
    conv = conversations.conversation_figures(account_ids=ids, start=window, end=now, now=now)
    for pk, row in conv.items():
        if row["received"] and not row["answered"]:
            found[pk][VetoCondition.NO_INTERACTION] = (
                AlertLevel.VETO,
                _("%(n)s messages in 14 days and none answered.") % {"n": row["received"]},
            )
    recent = Incident.objects.filter(
        account_id__in=ids, kind__in=list(VETO_INCIDENTS), occurred_at__gte=now - timedelta(days=30)
    ).values_list("account_id", flat=True)
    for pk in recent:
        found[pk][VetoCondition.SERIOUS_ERROR] = (
            AlertLevel.VETO,
            _("A serious error, leak or prohibited content was recorded in the last 30 days."),
        )
    probes: dict[int, dict[str, list[bool]]] = {}
    for pk, url, ok in (
        MenuProbe.objects.filter(
            account_id__in=ids, probed_at__gte=now - timedelta(days=PERSISTENT_FAILURES + 1)
        )
        .order_by("-probed_at")
        .values_list("account_id", "url", "ok")
    ):
        probes.setdefault(pk, {}).setdefault(url, []).append(ok)
    for pk, links in probes.items():
        broken = [
            u
            for u, oks in links.items()
            if len(oks) >= PERSISTENT_FAILURES and not any(oks[:PERSISTENT_FAILURES])
        ]
        failing = [u for u, oks in links.items() if oks and not oks[0]]
        if broken:
            found[pk][VetoCondition.BROKEN_MENU] = (
                AlertLevel.VETO,
                _("%(n)s menu links failed on %(k)s daily checks in a row.")
                % {"n": len(broken), "k": PERSISTENT_FAILURES},
            )
        elif failing:
            found[pk][VetoCondition.BROKEN_MENU] = (
                AlertLevel.AMBER,
                _("%(n)s menu links failed on the last check.") % {"n": len(failing)},
            )
    return found


def veto_watch(
    *, now: datetime | None = None, accounts: Iterable[WeChatAccount] | None = None
) -> dict[str, int]:
    """Open alerts for conditions that hold, clear those that no longer do (system job)."""
    now = now or timezone.now()
    accounts = list(
        accounts if accounts is not None else WeChatAccount.objects.filter(is_active=True)
    )
    found = _conditions(accounts, now)
    by_pk = {a.pk: a for a in accounts}
    opened = cleared = 0
    with transaction.atomic():
        current = {
            (al.account_id, al.condition, al.level): al
            for al in VetoAlert.objects.select_for_update().filter(
                account_id__in=list(by_pk), cleared_at__isnull=True
            )
        }
        wanted = {
            (pk, cond, level): detail
            for pk, conds in found.items()
            for cond, (level, detail) in conds.items()
        }
        for key, alert in current.items():
            if key not in wanted:
                alert.cleared_at = now
                alert.save(update_fields=["cleared_at"])
                cleared += 1
                audit_record(action="performance.veto.clear", obj=alert, actor_name="system")
        for key, detail in wanted.items():
            if key in current:
                continue
            pk, cond, level = key
            alert = VetoAlert.objects.create(
                account_id=pk, condition=cond, level=level, detail=str(detail)[:300], opened_at=now
            )
            opened += 1
            audit_record(
                action="performance.veto.open",
                obj=alert,
                actor_name="system",
                after={"condition": cond, "level": level, "detail": str(detail)},
            )
            account = by_pk[pk]
            people = _recipients(account)
            notification_send(
                recipients=people,
                kind="performance.veto" if level == AlertLevel.VETO else "performance.warning",
                title=(
                    _("Veto: %(condition)s")
                    if level == AlertLevel.VETO
                    else _("Warning: %(condition)s")
                )
                % {"condition": VetoCondition(cond).label},
                body=f"{account.name}：{detail}",
                url=reverse("performance:overview"),
                urgent=level == AlertLevel.VETO,
                account=account,
                now=now,
            )
            alert.notified = len(people)
            alert.save(update_fields=["notified"])
            publish_on_commit("veto_alert.opened", account_id=pk, alert_id=alert.pk)
    return {"opened": opened, "cleared": cleared}
