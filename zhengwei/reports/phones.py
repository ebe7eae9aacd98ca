"""Reporters' phone numbers: normalise, validate, mask, seal and hash for look-ups."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwei.lib import fieldcrypt

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_SERVICE = re.compile(r"^(110|119|120|122|12345|95\d{3,6}|400\d{7}|800\d{7})$")


def normalise(raw: str) -> str:
    """Digits only; a +86/0086 prefix dropped. Raises ValidationError for anything not a number."""
    value = (raw or "").strip()
    if not value:
        return ""
    digits = re.sub(r"[\s\-()（）]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits.isdigit() or not (
        _MOBILE.match(digits) or _LANDLINE.match(digits) or _SERVICE.match(digits)
    ):
        raise ValidationError(
            _(
                "Enter a mobile number of 11 digits (e.g. 13800001234) or a landline with its area code."
            )
        )
    return digits


def mask(phone: str) -> str:
    """138****1234: the first three and last four digits."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 2) + phone[-1:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def digest(phone: str) -> str:
    """A keyed hash for look-ups (same reporter, rate limits) that reveals nothing by itself."""
    if not phone:
        return ""
    key = settings.FIELD_ENCRYPTION_KEY.encode()
    return hmac.new(key, b"report-phone:" + phone.encode(), hashlib.sha256).hexdigest()


def seal(value: str, column: str) -> str:
    """Encrypt ``value`` for the report's ``column`` (lib/fieldcrypt: AES-GCM or SM4-GCM)."""
    return fieldcrypt.seal(value, f"reports.report.{column}") if value else ""


_TEXT_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_TEXT_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """Mask mobile and ID-card numbers a citizen typed into free text (for anything public)."""
    text = _TEXT_ID.sub(lambda m: m.group(1) + "********" + m.group(2), text or "")
    return _TEXT_PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
