"""Open311 API keys."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import WeChatAccount
from zhengwei.reports import policy as P
from zhengwei.reports.models import (
    ApiKey,
)


def _hash_key(raw: str) -> str:
    # Keys are 32+ random bytes, so a fast hash is enough (as for other API tokens).
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(
    *, actor, account: WeChatAccount, name: str, raw_key: str | None = None
) -> tuple[ApiKey, str]:
    """Create an Open311 key; the raw key is returned once and only its hash is stored."""
    require(actor, P.REPORTS_API_KEYS, account)
    raw = raw_key or "zw_" + secrets.token_urlsafe(32)
    if len(raw) < 16:
        raise ValidationError(_("An API key needs at least 16 characters."))
    with transaction.atomic():
        key = ApiKey.objects.create(
            account=account, name=name.strip()[:80], prefix=raw[:8], key_hash=_hash_key(raw)
        )
        audit_record(actor=actor, action="api_key.create", obj=key, after={"name": key.name})
        publish_on_commit("api_key.created", api_key_id=key.pk, account_id=account.pk)
    return key, raw


def api_key_revoke(*, actor, key: ApiKey) -> ApiKey:
    require(actor, P.REPORTS_API_KEYS, key.account)
    with transaction.atomic():
        key.is_active = False
        key.save(update_fields=["is_active"])
        audit_record(actor=actor, action="api_key.revoke", obj=key)
        publish_on_commit("api_key.revoked", api_key_id=key.pk, account_id=key.account_id)
    return key


def api_key_check(raw: str) -> ApiKey | None:
    if not raw:
        return None
    key = (
        ApiKey.objects.select_related("account")
        .filter(key_hash=_hash_key(raw), is_active=True)
        .first()
    )
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
