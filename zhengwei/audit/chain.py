"""The audit log's hash chain: sealing each new entry, and verifying the chain.

Every entry stores the previous entry's link (``prev_hash``) and its own (``entry_hash`` =
HMAC-SHA256 under AUDIT_CHAIN_KEY of the previous link and the entry's canonical content). The
chain runs in id order. Two writers must not both link to the same predecessor, so sealing takes
a lock held to the end of the writer's transaction: on PostgreSQL a transaction-level advisory
lock (ids are drawn after it is taken, so id order is chain order); on SQLite the database's own
write lock (the connection opens transactions IMMEDIATE, settings.py), which already serialises
writers.

Pruning removes the oldest entries; the prune's own entry records the link of the last entry it
removed (``anchor``), so the verifier knows where the surviving chain may begin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC

from django.conf import settings
from django.db import connection
from django.utils.ipv6 import clean_ipv6_address

from zhengwei.audit.models import AuditEntry
from zhengwei.lib import hashchain

# pg_advisory_xact_lock key: any constant no other code uses ("zwau").
CHAIN_LOCK = 0x7A776175
CONTENT_FIELDS = (
    "actor_id",
    "actor_name",
    "actor_org",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
    "ip",
    "outcome",
)


def _key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def _json(value):
    # What a JSON column gives back: tuples become lists, keys become strings.
    return None if value is None else json.loads(json.dumps(value, default=str))


def _ip(value):
    # The form GenericIPAddressField stores.
    if value and ":" in value:
        return clean_ipv6_address(value)
    return value or None


def content(entry: AuditEntry) -> dict:
    data = {name: getattr(entry, name) for name in CONTENT_FIELDS}
    data["before"] = _json(data["before"])
    data["after"] = _json(data["after"])
    data["ip"] = _ip(data["ip"])
    data["at"] = entry.at.astimezone(UTC).isoformat()
    return data


def seal(entry: AuditEntry) -> None:
    """Link ``entry`` (not yet saved) to the newest entry. Call inside a transaction that saves it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    previous = (
        AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        or hashchain.GENESIS
    )
    entry.prev_hash = previous
    entry.entry_hash = hashchain.link(_key(), previous, content(entry))


@dataclass
class Verification:
    checked: int = 0
    broken_id: int | None = None
    reason: str = ""
    head: str = ""
    anchors: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(*, chunk: int = 2000, progress=None) -> Verification:
    """Walk the chain in id order; stop at the first entry whose link does not hold."""
    result = Verification()
    key = _key()
    # Where the surviving chain may begin: at the genesis, or just after what a prune removed.
    result.anchors = {hashchain.GENESIS} | {
        (after or {}).get("anchor", "")
        for after in AuditEntry.objects.filter(action="audit.prune").values_list("after", flat=True)
    }
    previous: str | None = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk):
        if previous is None:
            if entry.prev_hash not in result.anchors:
                result.broken_id, result.reason = entry.pk, "start"
                return result
        elif entry.prev_hash != previous:
            result.broken_id, result.reason = entry.pk, "link"
            return result
        if not hashchain.matches(key, entry.prev_hash, content(entry), entry.entry_hash):
            result.broken_id, result.reason = entry.pk, "content"
            return result
        previous = entry.entry_hash
        result.checked += 1
        if progress and result.checked % chunk == 0:
            progress(result.checked)
    result.head = previous or ""
    return result
