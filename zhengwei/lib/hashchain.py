"""A keyed hash chain: each link is HMAC-SHA256(key, previous link ‖ canonical content).

Used by the audit log to make tampering evident. The key lives outside the database
(``AUDIT_CHAIN_KEY``), so someone who can write the table cannot recompute the links after
changing a row; a plain SHA-256 chain could be recomputed by anyone with write access.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

GENESIS = ""


def canonical(content: dict[str, Any]) -> bytes:
    """One byte string per content: sorted keys, no spaces, UTF-8 (so 中文 hashes as itself)."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def link(key: bytes, previous: str, content: dict[str, Any]) -> str:
    return hmac.new(key, previous.encode() + b"\n" + canonical(content), hashlib.sha256).hexdigest()


def matches(key: bytes, previous: str, content: dict[str, Any], stored: str) -> bool:
    return hmac.compare_digest(link(key, previous, content), stored)
