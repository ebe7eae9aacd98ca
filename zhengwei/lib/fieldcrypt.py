"""Field-level encryption of personal data at rest: AES-256-GCM by default, SM4-GCM selectable.

A stored value is ``zf1$<cipher>$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>``. The cipher and
the key id travel with each value, so a key ring can hold old keys while ``manage.py
rotate_field_keys`` re-encrypts under the active one, and an office can switch FIELD_CIPHER
without a flag day. The additional authenticated data is the column's name (``context``), so a
ciphertext copied into another column does not decrypt.

Why GCM for both: an AEAD mode, so a changed byte is refused rather than decrypted to garbage;
GB/T 39786 level 3 asks for 密码技术 for confidentiality *and* integrity of stored personal data,
which one GCM pass gives. SM4 is a 128-bit block cipher, so the same 96-bit-nonce GCM applies
(``cryptography`` exposes SM4 through OpenSSL; it is not a certified 密码产品, see
docs/guide/security.md).

Why not a library: django-fernet-encrypted-fields (Fernet = AES-128-CBC + HMAC, no SM4, rotation
by listing keys but no re-encryption command) and django-cryptography (unmaintained since 2021,
no Django 5.2 support, no SM4) both fail two of the three needs.

Keys live outside the database: FIELD_KEYS / FIELD_KEYS_FILE (JSON ``{"id": "base64 key"}``) or,
by default, one key derived from FIELD_ENCRYPTION_KEY. Equality look-ups use ``blind_index``
(HMAC-SHA256 under a separate key), never the ciphertext.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from zhengwei.lib import secretbox

PREFIX = "zf1"
CIPHERS = ("aes-gcm", "sm4-gcm")
NONCE = 12
TAG = 16


class FieldCryptError(ValueError):
    pass


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    active: str
    cipher: str = "aes-gcm"

    def __post_init__(self):
        if self.cipher not in CIPHERS:
            raise FieldCryptError(f"unknown cipher {self.cipher!r}; use one of {CIPHERS}")
        if self.active not in self.keys:
            raise FieldCryptError(f"active key {self.active!r} is not in the key ring")
        for kid, key in self.keys.items():
            if "$" in kid or len(key) < 32:
                raise FieldCryptError(
                    f"key {kid!r} must be at least 32 bytes and its id without '$'"
                )


def derive_key(secret: str, purpose: str) -> bytes:
    """32 bytes for ``purpose`` from a text secret (so FIELD_ENCRYPTION_KEY alone suffices)."""
    return hashlib.sha256(f"zhengwei:{purpose}:".encode() + secret.encode()).digest()


def _algorithm(cipher: str, key: bytes):
    return algorithms.AES(key[:32]) if cipher == "aes-gcm" else algorithms.SM4(key[:16])


def is_encrypted(stored: str) -> bool:
    return bool(stored) and stored.startswith(PREFIX + "$")


def is_current(stored: str, ring: KeyRing) -> bool:
    """Encrypted under the ring's active key and cipher (rotation skips these)."""
    return stored.startswith(f"{PREFIX}${ring.cipher}${ring.active}$")


@functools.lru_cache(maxsize=16)
def _aesgcm(key: bytes) -> AESGCM:
    return AESGCM(key[:32])


def encrypt(plaintext: str, ring: KeyRing, context: str) -> str:
    if plaintext == "":
        return ""
    nonce = os.urandom(NONCE)
    key = ring.keys[ring.active]
    if ring.cipher == "aes-gcm":
        # The one-shot AEAD (same bytes: ciphertext ‖ tag) costs a fifth of a Cipher context; it
        # runs several times per callback (sender, message, fields, reply).
        body = _aesgcm(key).encrypt(nonce, plaintext.encode(), context.encode())
    else:
        enc = Cipher(_algorithm(ring.cipher, key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(context.encode())
        body = enc.update(plaintext.encode()) + enc.finalize() + enc.tag
    token = base64.urlsafe_b64encode(nonce + body).decode().rstrip("=")
    return f"{PREFIX}${ring.cipher}${ring.active}${token}"


def decrypt(stored: str, ring: KeyRing, context: str) -> str:
    if stored == "":
        return ""
    try:
        prefix, cipher, kid, token = stored.split("$", 3)
    except ValueError:
        raise FieldCryptError("not an encrypted value") from None
    if prefix != PREFIX or cipher not in CIPHERS:
        raise FieldCryptError("not an encrypted value")
    key = ring.keys.get(kid)
    if key is None:
        raise FieldCryptError(f"key {kid!r} is no longer in the key ring")
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    dec = Cipher(_algorithm(cipher, key), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(context.encode())
    try:
        return (dec.update(body) + dec.finalize()).decode()
    except InvalidTag:
        raise FieldCryptError("the value was changed or belongs to another column") from None


def blind_index(value: str, key: bytes, context: str) -> str:
    """A keyed hash for equality look-ups; reveals nothing without the key."""
    if not value:
        return ""
    return hmac.new(key, context.encode() + b":" + value.encode(), hashlib.sha256).hexdigest()


def settings_ring() -> KeyRing:
    return _ring(
        tuple(settings.FIELD_KEYS.items()), settings.FIELD_KEY_ACTIVE, settings.FIELD_CIPHER
    )


@functools.lru_cache(maxsize=8)
def _ring(keys: tuple, active: str, cipher: str) -> KeyRing:
    # Checked once per key ring, not once per value.
    return KeyRing(dict(keys), active, cipher)


# The encrypted columns, registered by the apps that own them: (model label, field, context).
# ``manage.py rotate_field_keys`` walks them.
COLUMNS: list[tuple[str, str, str]] = []
# What a column's values were before it was encrypted: "secretbox" (the reporter's phone and
# name, sealed with Fernet first) or "plain" (openids, locations, message contents).
LEGACY: dict[tuple[str, str], str] = {}


def register(model_label: str, field: str, context: str, *, legacy: str = "secretbox") -> None:
    if (model_label, field, context) not in COLUMNS:
        COLUMNS.append((model_label, field, context))
    LEGACY[(model_label, field)] = legacy


def reveal_column(stored: str, model_label: str, field: str, context: str) -> str:
    """The plaintext of a registered column's stored value, whatever its era."""
    if is_encrypted(stored) or LEGACY.get((model_label, field)) != "plain":
        return reveal(stored, context)
    return stored


def seal(plaintext: str, context: str) -> str:
    return encrypt(plaintext, settings_ring(), context)


def reveal(stored: str, context: str) -> str:
    """The plaintext of a stored value: field-encrypted, or sealed by secretbox before field
    encryption existed (Fernet under FIELD_ENCRYPTION_KEY; rotate_field_keys re-encrypts those)."""
    if is_encrypted(stored):
        return decrypt(stored, settings_ring(), context)
    return secretbox.unseal(stored, key=settings.FIELD_ENCRYPTION_KEY)
