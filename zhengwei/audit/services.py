from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import Action, require, roles_summary
from zhengwei.audit import chain, exports, forms
from zhengwei.audit.middleware import current
from zhengwei.audit.models import AuditEntry, PurgeRun
from zhengwei.lib import retention
from zhengwei.lib.events import publish_on_commit


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
    ctx = current.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        at=timezone.now(),
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
    # The chain lock is held to the end of the caller's transaction (chain.py says why).
    with transaction.atomic():
        chain.seal(entry)
        entry.save(force_insert=True)
    return entry


# 网络安全法 第二十一条: network logs are kept for no less than six months, which can be 184 days.
MIN_RETENTION_DAYS = 184


def audit_prune(*, now=None) -> int:
    """Remove entries older than AUDIT_RETENTION_DAYS (never less than 184 days); return how many.

    Removes a prefix of the chain: every entry before the first one inside retention, so no
    entry younger than the cutoff goes even if ids and times disagree by a moment. The prune's
    own entry records the last removed link (``anchor``), where the verifier lets the chain start.
    """
    days = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        first_kept = (
            AuditEntry.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True)
        ).first()
        doomed = AuditEntry.objects.all()
        if first_kept is not None:
            doomed = doomed.filter(id__lt=first_kept)
        anchor = doomed.order_by("-id").values_list("entry_hash", flat=True).first() or ""
        count, _ = doomed._prune()
        # The removal itself is on the record.
        audit_record(
            action="audit.prune",
            actor_name="system",
            object_type="audit.auditentry",
            object_repr=f"{count} entries",
            after={
                "removed": count,
                "retention_days": days,
                "cutoff": cutoff.isoformat(),
                "anchor": anchor,
            },
        )
    return count


EXPORT_MAX_ROWS = 100_000
EXPORT_FORMATS = {"csv", "xlsx"}


def _describe_filters(filters: dict[str, Any]) -> str:
    """The search as people read it: each field by its label (操作=report.), not its name."""
    fields = forms.AuditFilterForm.base_fields
    parts = []
    for key, value in filters.items():
        if hasattr(value, "isoformat"):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if key == "outcome":
            value = forms.outcome_label(value)
        label = fields[key].label if key in fields else key
        parts.append(f"{label}={value}")
    return "; ".join(parts) or "—"


def audit_export(*, actor, entries, filters: dict[str, Any], fmt: str) -> tuple[bytes, int]:
    """Render the selected entries as a file and record who exported what.

    ``entries`` comes from ``audit.selectors.audit_search`` (already scoped to the actor);
    ``filters`` are the search's non-empty fields, written into the new entry's note.
    """
    require(actor, Action.AUDIT_EXPORT)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    with transaction.atomic():
        # Read first, so the export's own entry is not part of the file.
        rows = list(entries[: EXPORT_MAX_ROWS + 1])
        truncated = len(rows) > EXPORT_MAX_ROWS
        rows = rows[:EXPORT_MAX_ROWS]
        note = f"{fmt}: {_describe_filters(filters)}"
        if truncated:
            note += _(" (the first %(count)s entries)") % {"count": EXPORT_MAX_ROWS}
        audit_record(
            actor=actor,
            action="audit.export",
            object_type="audit.auditentry",
            object_repr=_("%(count)s entries") % {"count": len(rows)},
            after={"format": fmt, "rows": len(rows), "filters": _json_filters(filters)},
            note=note,
        )
        publish_on_commit("audit.exported", actor_id=actor.pk, rows=len(rows), format=fmt)
    content = exports.to_csv(rows) if fmt == "csv" else exports.to_xlsx(rows)
    return content, len(rows)


def _json_filters(filters: dict[str, Any]) -> dict[str, str]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in filters.items()}


def retention_purge(*, actor=None, now=None) -> list[PurgeRun]:
    """Purge every class of personal data past its period (lib/retention), keep one PurgeRun row
    per class for the purge report, and one audit entry for the run. The scheduler runs it as the
    system; nobody purges by hand before the period."""
    now = now or timezone.now()
    run = uuid.uuid4()
    with transaction.atomic():
        done = retention.purge_all(now)
        rows = PurgeRun.objects.bulk_create(
            PurgeRun(
                run=run,
                at=now,
                data_class=name,
                days=result["days"],
                cutoff=now - timedelta(days=result["days"]),
                records=result["purged"],
                files=result["files"],
                oldest_kept=result["oldest_kept"],
            )
            for name, result in done.items()
        )
        audit_record(
            actor=actor,
            action="retention.purge",
            actor_name="" if actor else "system",
            object_type="retention",
            object_id=str(run),
            object_repr=f"{sum(d['purged'] for d in done.values())} rows",
            after=done,
        )
        publish_on_commit("retention.purged", run=str(run))
    return rows
