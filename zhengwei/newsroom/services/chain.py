"""Editing the review chain of an account (per mode): the levels, their roles and time limits."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwei.newsroom import policy as P
from zhengwei.newsroom.models import ChainMode, ChainStep
from zhengwei.newsroom.services.common import audit, refuse, require
from zhengwei.orgs.models import Role, User, WeChatAccount
from zhengwei.orgs.roles import OFFICE_ROLES

MAX_LEVELS = 5


def chain_save(
    *, actor: User, account: WeChatAccount, mode: str, levels: list[dict]
) -> list[ChainStep]:
    """Replace the account's chain for ``mode`` (an empty list restores the defaults). Each
    level: name, role, time_limit_minutes, escalate_to. The last level decides publication, so
    it is held by the office (先审后发: the office has the final word in every operation model)."""
    require(actor, P.CHAIN_MANAGE, account)
    if mode not in ChainMode.values:
        raise refuse(_("Unknown chain."))
    if len(levels) > MAX_LEVELS:
        raise refuse(_("At most %(n)d levels.") % {"n": MAX_LEVELS})
    for level in levels:
        if not (level.get("name") or "").strip():
            raise refuse(_("Every level needs a name."))
        if level.get("role") not in Role.values or (
            level.get("escalate_to") and level["escalate_to"] not in Role.values
        ):
            raise refuse(_("Unknown role."))
    if levels and levels[-1]["role"] not in OFFICE_ROLES:
        raise refuse(_("The last level decides publication: it must be an office role."))
    with transaction.atomic():
        ChainStep.objects.filter(account=account, mode=mode).delete()
        rows = [
            ChainStep.objects.create(
                account=account,
                mode=mode,
                order=number,
                name=level["name"].strip()[:20],
                role=level["role"],
                time_limit_minutes=max(0, int(level.get("time_limit_minutes") or 0)),
                escalate_to=level.get("escalate_to") or "",
            )
            for number, level in enumerate(levels, 1)
        ]
        audit(
            actor,
            "newsroom.chain.save",
            account,
            note=f"{ChainMode(mode).label}："
            + (" → ".join(f"{r.name}（{Role(r.role).label}）" for r in rows) or _("defaults")),
        )
    return rows
