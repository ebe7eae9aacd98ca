"""The office's reply templates, one per report state."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record, diff, snapshot
from zhengwei.interactions import policy as P
from zhengwei.interactions import wording
from zhengwei.interactions.models import (
    ReplyTemplate,
)
from zhengwei.interactions.services.common import SYSTEM
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.reports.models import State as ReportState


def reply_template_save(
    *, actor: User, account: WeChatAccount, state: str, text: str, active: bool
) -> ReplyTemplate:
    require(actor, P.TEMPLATES_MANAGE, account)
    if state not in ReportState.values:
        raise ValidationError({"state": [_("Unknown report state.")]})
    text = (text or "").strip()
    problems = wording.check_template(text)
    if not text:
        problems.append(_("Write the message."))
    if len(text) > 600:
        problems.append(_("The message may be at most 600 characters."))
    if problems:
        raise ValidationError({"text": problems})
    with transaction.atomic():
        row = ReplyTemplate.objects.filter(account=account, state=state).first()
        before = snapshot(row, ["text", "active"]) if row else None
        if row is None:
            row = ReplyTemplate(account=account, state=state)
        row.text, row.active = text, bool(active)
        row.updated_by, row.updated_at = actor, timezone.now()
        row.save()
        b, a = diff(before, snapshot(row, ["text", "active"]))
        audit_record(actor=actor, action="reply_template.save", obj=row, before=b, after=a)
        publish_on_commit("reply_template.saved", account_id=account.pk, state=state)
    return row


def reply_templates_seed(*, account: WeChatAccount) -> int:
    """Write the default templates as the account's own rows (system; demo and new accounts)."""
    created = 0
    with transaction.atomic():
        for state, (text, active) in wording.DEFAULTS.items():
            _row, made = ReplyTemplate.objects.get_or_create(
                account=account, state=state, defaults={"text": str(text), "active": active}
            )
            created += int(made)
        if created:
            audit_record(
                actor_name=SYSTEM,
                action="reply_template.seed",
                obj=account,
                note=f"{created} templates",
            )
    return created
