from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhengwei.audit.middleware import current
from zhengwei.audit.models import AuditEntry


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A short JSON summary of a model instance for the before/after columns."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if fields is not None and field.name not in fields and name not in fields:
            continue
        if "secret" in name or "password" in name:
            continue  # never copy secrets into the log
        value = getattr(obj, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = str(value)
        data[name] = value
    return data


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed, so entries stay readable."""
    if not before or not after:
        return before, after
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def audit_record(
    *,
    actor=None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    outcome: str = "ok",
    actor_name: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Append one audit entry. Call inside the state change's transaction so both commit together."""
    from zhengwei.access.policy import roles_summary

    ctx = current.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor_name or (actor.get_username() if is_user else ""))[:150],
        actor_org=(str(actor.organisation) if is_user and actor.organisation_id else "")[:120],
        role=roles_summary(actor)[:200] if is_user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=before,
        after=after,
        note=note[:500],
        outcome=outcome,
        ip=ip or (ctx.ip if ctx else None),
    )


def audit_prune(*, now=None) -> int:
    """Remove entries older than AUDIT_RETENTION_DAYS (never less than 180 days)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    count, _ = AuditEntry.objects.filter(at__lt=cutoff)._prune()
    return count
