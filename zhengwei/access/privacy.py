"""Who sees citizens' personal data, decided by the policy: the ``Lens`` of one viewer, and the
audited reveal (``zhengwei.lib.privacy`` holds the masking rule itself)."""

from __future__ import annotations

from django.db import models, transaction

from zhengwei.access.policy import Action, accounts_for, denied, may
from zhengwei.audit.services import audit_record
from zhengwei.lib.privacy import MASKED, Lens
from zhengwei.orgs.models import WeChatAccount

REVEAL_ACTION = "personal_data.reveal"


def may_see_personal(user, account: WeChatAccount | None = None) -> bool:
    """``personal_data.view`` on ``account``, or on any of the person's accounts when None."""
    if account is not None:
        return may(user, Action.PERSONAL_DATA_VIEW, account)
    return bool(accounts_for(user, Action.PERSONAL_DATA_VIEW))


def lens_for(user, account: WeChatAccount | None = None, *, names: tuple[str, ...] = ()) -> Lens:
    """What ``user`` sees on ``account``: everything masked; exact locations for those with
    ``personal_data.view``. Full text only through ``lens_revealed``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return MASKED
    return Lens(
        account_id=getattr(account, "pk", None),
        personal=may_see_personal(user, account),
        names=names,
    )


def lens_revealed(
    *, actor, account: WeChatAccount, obj: models.Model | None = None, what: str = ""
) -> Lens:
    """The full text of ``obj`` for someone with ``personal_data.view``: every reveal is
    audited (and every refused one); PermissionDenied for everyone else."""
    if not may_see_personal(actor, account):
        if getattr(actor, "is_authenticated", False):
            audit_record(actor=actor, action=REVEAL_ACTION, obj=obj, note=what, outcome="denied")
        raise denied()
    with transaction.atomic():
        audit_record(actor=actor, action=REVEAL_ACTION, obj=obj, note=what)
    return Lens(account_id=account.pk, personal=True, revealed=True)
