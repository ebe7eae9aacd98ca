"""WeChat Official Account callback crypto: URL/request signatures, safe-mode AES message
encryption (brief wechat.md §2.1-2.3, §7.1-7.3) and the JS-SDK signature (§4.2).

Layout of a safe-mode payload before padding: 16 B random | 4 B big-endian length | XML | appid,
PKCS#7-padded to 32-byte blocks (not AES's 16), AES-256-CBC with IV = key[:16], Base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from zhengwei.lib.wxxml import DEFAULT_MAX_BYTES, cdata, parse_envelope

_PAD_BLOCK = 32


class CryptoError(Exception):
    pass


class InvalidSignature(CryptoError):
    pass


class InvalidAppId(CryptoError):
    pass


class InvalidPadding(CryptoError):
    pass


class InvalidKey(CryptoError):
    pass


def make_signature(*values: str | int) -> str:
    return hashlib.sha1("".join(sorted(str(v) for v in values)).encode("utf-8")).hexdigest()


def _same(expected: str, given: str | None) -> bool:
    if not given:
        return False
    # Compare bytes: compare_digest refuses non-ASCII str, and the input is attacker-chosen.
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode("utf-8"))


def check_signature(
    token: str, signature: str | None, timestamp: str | None, nonce: str | None
) -> bool:
    """The plain ``signature`` query parameter (URL verification and every POST)."""
    if timestamp is None or nonce is None:
        return False
    return _same(make_signature(token, timestamp, nonce), signature)


def jsapi_signature(ticket: str, noncestr: str, timestamp: str | int, url: str) -> str:
    url = url.split("#", 1)[0]  # WeChat signs the page URL without its fragment
    raw = f"jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


class WXCrypto:
    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        if not isinstance(encoding_aes_key, str) or len(encoding_aes_key) != 43:
            raise InvalidKey("EncodingAESKey must be exactly 43 characters")
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidKey("EncodingAESKey is not valid base64") from exc
        if len(key) != 32:
            raise InvalidKey("EncodingAESKey must decode to 32 bytes")
        self.token = token
        self.app_id = app_id
        self._app_id_b = app_id.encode("utf-8")
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(key[:16]))

    def __repr__(self) -> str:  # never leak the key or token into logs
        return f"WXCrypto(app_id={self.app_id!r})"

    # -- signatures

    def sign(self, timestamp: str | int, nonce: str, encrypt: str) -> str:
        return make_signature(self.token, timestamp, nonce, encrypt)

    def verify_msg_signature(
        self, msg_signature: str | None, timestamp: str | int, nonce: str, encrypt: str
    ) -> bool:
        return _same(self.sign(timestamp, nonce, encrypt), msg_signature)

    # -- AES payload

    def encrypt(self, xml: bytes | str, *, random16: bytes | None = None) -> str:
        msg = xml.encode("utf-8") if isinstance(xml, str) else xml
        rand = os.urandom(16) if random16 is None else random16
        if len(rand) != 16:
            raise ValueError("random16 must be 16 bytes")
        plain = rand + len(msg).to_bytes(4, "big") + msg + self._app_id_b
        pad = _PAD_BLOCK - len(plain) % _PAD_BLOCK  # 1..32; a full block when aligned
        plain += bytes([pad]) * pad
        enc = self._cipher.encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode("ascii")

    def decrypt(self, encrypt_b64: str | bytes) -> bytes:
        """Decrypt an ``Encrypt`` value to the inner XML bytes. Verify the msg_signature
        first: checking it before decrypting is also what keeps padding errors from
        becoming an oracle."""
        try:
            data = base64.b64decode(encrypt_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("ciphertext is not valid base64") from exc
        if not data or len(data) % 16:
            raise CryptoError("ciphertext length is not a positive multiple of 16")
        dec = self._cipher.decryptor()
        plain = dec.update(data) + dec.finalize()
        pad = plain[-1]
        if not 1 <= pad <= _PAD_BLOCK or pad > len(plain) or plain[-pad:] != bytes([pad]) * pad:
            raise InvalidPadding("invalid PKCS#7 padding (32-byte block)")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise CryptoError("plaintext too short for random and length header")
        length = int.from_bytes(plain[16:20], "big")
        if 20 + length > len(plain):
            raise CryptoError("length field exceeds plaintext")
        if plain[20 + length :] != self._app_id_b:
            raise InvalidAppId("appid in payload does not match this account")
        return plain[20 : 20 + length]

    # -- envelopes

    def decrypt_message(
        self,
        envelope: bytes | str | dict,
        msg_signature: str | None,
        timestamp: str,
        nonce: str,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> bytes:
        """Inbound safe/compatible-mode body: verify ``msg_signature`` over ``Encrypt``, then
        decrypt. Returns the inner XML bytes."""
        fields = (
            envelope
            if isinstance(envelope, dict)
            else parse_envelope(envelope, max_bytes=max_bytes)
        )
        encrypt = fields.get("Encrypt")
        if not isinstance(encrypt, str) or not encrypt:
            raise CryptoError("envelope has no Encrypt field")
        if not self.verify_msg_signature(msg_signature, timestamp, nonce, encrypt):
            raise InvalidSignature("msg_signature does not match")
        return self.decrypt(encrypt)

    def encrypt_reply(
        self,
        xml: bytes | str,
        timestamp: str | int,
        nonce: str,
        *,
        random16: bytes | None = None,
    ) -> str:
        ts = str(timestamp)
        # TimeStamp is emitted without CDATA, so it must be plain digits.
        if not (ts.isascii() and ts.isdigit()):
            raise ValueError("timestamp must be digits")
        encrypt = self.encrypt(xml, random16=random16)
        signature = self.sign(ts, nonce, encrypt)
        return (
            f"<xml><Encrypt>{cdata(encrypt)}</Encrypt>"
            f"<MsgSignature>{cdata(signature)}</MsgSignature>"
            f"<TimeStamp>{ts}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>"
        )

    def decrypt_reply(self, envelope_xml: bytes | str) -> bytes:
        """Reverse of :meth:`encrypt_reply` (for the simulator and tests)."""
        fields = parse_envelope(envelope_xml)
        missing = [k for k in ("Encrypt", "MsgSignature", "TimeStamp", "Nonce") if k not in fields]
        if missing:
            raise CryptoError(f"reply envelope lacks {', '.join(missing)}")
        return self.decrypt_message(
            fields, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]
        )
