"""Secrets at rest: Fernet-encrypted values, or references to where the secret lives.

A stored value is one of
- ``fernet:<token>``  encrypted with FIELD_ENCRYPTION_KEY;
- ``env:<NAME>``      read from an environment variable at use time;
- ``file:<path>``     read from a file at use time (a mounted secret).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class SecretError(ValueError):
    pass


def _fernet(key: str) -> Fernet:
    # Any string works as FIELD_ENCRYPTION_KEY; derive the 32 bytes Fernet wants from it.
    digest = hashlib.sha256(key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(plaintext: str, *, key: str) -> str:
    if plaintext.startswith(("env:", "file:")):
        return plaintext  # a reference is stored as given
    return "fernet:" + _fernet(key).encrypt(plaintext.encode()).decode()


def unseal(stored: str, *, key: str) -> str:
    if not stored:
        return ""
    scheme, _, rest = stored.partition(":")
    if scheme == "fernet":
        try:
            return _fernet(key).decrypt(rest.encode()).decode()
        except InvalidToken:
            raise SecretError("secret cannot be decrypted with FIELD_ENCRYPTION_KEY") from None
    if scheme == "env":
        value = os.environ.get(rest)
        if value is None:
            raise SecretError(f"environment variable {rest} is not set")
        return value
    if scheme == "file":
        try:
            return Path(rest).read_text().strip()
        except OSError as exc:
            raise SecretError(f"secret file unreadable: {exc}") from None
    raise SecretError("unknown secret format")


def describe(stored: str) -> str:
    """What an administrator may see of a stored secret: never the secret itself."""
    if not stored:
        return "—"
    scheme, _, rest = stored.partition(":")
    if scheme in {"env", "file"}:
        return stored
    return "已加密保存" if scheme == "fernet" else "?"
