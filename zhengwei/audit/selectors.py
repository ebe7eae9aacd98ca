"""Reads of the audit log, with the policy applied."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from zhengwei.access.policy import Action, require, visible_organisation_ids
from zhengwei.audit.models import AuditEntry, PurgeRun


def _scoped(user) -> QuerySet[AuditEntry]:
    """Entries the person may read.

    Superusers read everything. Others read what people of their own organisations did (the
    parties of the accounts they hold roles on), plus entries without such a person (anonymous
    sign-in failures, the installation's own superusers) which concern every office.
    """
    qs = AuditEntry.objects.all()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(actor__isnull=True)
        | Q(actor__organisation__isnull=True)
        | Q(actor__organisation_id__in=visible_organisation_ids(user))
    )


def audit_search(
    *,
    user,
    start: datetime | None = None,
    end: datetime | None = None,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    outcome: str = "",
    q: str = "",
) -> QuerySet[AuditEntry]:
    require(user, Action.AUDIT_VIEW)
    qs = _scoped(user)
    if start:
        qs = qs.filter(at__gte=start)
    if end:
        qs = qs.filter(at__lte=end)
    if actor:
        qs = qs.filter(
            Q(actor_name__icontains=actor)
            | Q(actor__display_name__icontains=actor)
            | Q(actor_org__icontains=actor)
        )
    if action:
        qs = qs.filter(action__istartswith=action)
    if object_type:
        qs = qs.filter(object_type__iexact=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if q:
        qs = qs.filter(
            Q(object_repr__icontains=q)
            | Q(note__icontains=q)
            | Q(action__icontains=q)
            | Q(actor_name__icontains=q)
            | Q(actor_org__icontains=q)
            | Q(role__icontains=q)
            | Q(ip__icontains=q)
            | Q(before__icontains=q)
            | Q(after__icontains=q)
        )
    return qs.order_by("-at", "-id")


def audit_get(*, user, pk: int) -> AuditEntry:
    require(user, Action.AUDIT_VIEW)
    return get_object_or_404(_scoped(user), pk=pk)


def audit_vocabulary(*, user) -> dict[str, list[str]]:
    """The actions, object types and outcomes that occur, for the search form's suggestions."""
    require(user, Action.AUDIT_VIEW)
    qs = _scoped(user).order_by()
    return {
        "actions": sorted(set(qs.values_list("action", flat=True).distinct())),
        "object_types": sorted(
            set(qs.exclude(object_type="").values_list("object_type", flat=True).distinct())
        ),
        "outcomes": sorted(set(qs.values_list("outcome", flat=True).distinct())),
    }


def field_history(*, obj, field: str) -> list[tuple[datetime, object, object]]:
    """(when, from, to) of every recorded change of one field of ``obj``, oldest first — what the
    services' before/after entries say (e.g. an account's changes of operation model). Reveals only
    that field's values: the caller applies its own policy to the object."""
    rows = (
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            before__has_key=field,  # a change, not the creation
            after__has_key=field,
        )
        .order_by("at", "pk")
        .values_list("at", "before", "after")
    )
    return [(at, before[field], after[field]) for at, before, after in rows]


def purge_runs(*, user) -> QuerySet[PurgeRun]:
    """The purge report: each run's rows, newest first (the security administrator and the
    auditor check that the retention periods are applied)."""
    require(user, Action.RETENTION_VIEW)
    return PurgeRun.objects.order_by("-at", "data_class")
