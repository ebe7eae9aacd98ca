"""Validate and re-encode citizens' photos before anything is stored.

- Only JPEG, PNG and WebP are decoded (HEIC too when ``pillow-heif`` is installed); the decoder is
  chosen from the bytes with ``Image.open(..., formats=...)``, never from the file name, so an
  HTML/GIF polyglot or a PDF renamed .jpg is refused.
- Size cap per file (REPORT_PHOTO_MAX_BYTES), a pixel cap per photo (REPORT_PHOTO_MAX_PIXELS) and
  per report (REPORT_PHOTO_MAX_TOTAL_PIXELS), all checked from the headers before anything is
  decoded; Pillow's own decompression-bomb warning is turned into a refusal.
- Decoding runs in a child process with a memory and CPU limit (zhengwei.lib.photodecode), so a
  hostile photo cannot take a web worker's memory away.
- The display copy is re-encoded as JPEG from the pixels alone (orientation applied, at most
  REPORT_PHOTO_MAX_SIDE pixels on the long side), so EXIF — GPS position, device, time — is gone.
  The original bytes are kept for the office only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwei.lib import photodecode

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "HEIF": ".heic"}


def max_bytes() -> int:
    return settings.REPORT_PHOTO_MAX_BYTES


def max_pixels() -> int:
    return settings.REPORT_PHOTO_MAX_PIXELS


def max_count() -> int:
    return settings.REPORT_PHOTO_MAX_COUNT


@dataclass
class CleanPhoto:
    original: bytes
    original_format: str
    display: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.original_format, ".bin")


def _read(upload) -> bytes:
    if isinstance(upload, (bytes, bytearray)):
        return bytes(upload)
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_too_big(limit))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    return data


def _too_big(limit: int) -> str:
    return _("Each photo may be at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}


def _messages():
    return {
        photodecode.NOT_A_PHOTO: _("This file is not a photo we accept (JPEG, PNG or WebP)."),
        photodecode.TOO_LARGE: _("The photo is too large to process. Send a smaller one."),
    }


def _payload(upload) -> bytes:
    data = _read(upload)
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError(_too_big(limit))
    if not data:
        raise ValidationError(_("The photo is empty."))
    return data


def clean_photo(upload) -> CleanPhoto:
    return clean_photos([upload])[0]


def clean_photos(uploads) -> list[CleanPhoto]:
    """Every photo's header is read before any is decoded: the count, each photo's pixels and
    the pixels of all together are checked first, so a report that would cost too much is refused
    before it costs anything. Decoding then runs in a child process with a memory limit
    (REPORT_PHOTO_DECODE_ISOLATED, zhengwei.lib.photodecode)."""
    uploads = [u for u in uploads if u]
    if len(uploads) > max_count():
        raise ValidationError(
            _("At most %(n)d photos can be sent with one report.") % {"n": max_count()}
        )
    payloads = [_payload(u) for u in uploads]
    messages = _messages()
    total = 0
    for data in payloads:
        try:
            _fmt, width, height = photodecode.probe(data, max_pixels())
        except photodecode.Refused as exc:
            raise ValidationError(messages[exc.reason]) from None
        total += width * height
    if total > settings.REPORT_PHOTO_MAX_TOTAL_PIXELS:
        raise ValidationError(
            _("These photos are too large together. Send fewer or smaller photos.")
        )
    side = settings.REPORT_PHOTO_MAX_SIDE
    if settings.REPORT_PHOTO_DECODE_ISOLATED and payloads:
        results = photodecode.reencode_isolated(
            payloads,
            side=side,
            max_pixels=max_pixels(),
            memory_mb=settings.REPORT_PHOTO_DECODE_MEMORY_MB,
            timeout=settings.REPORT_PHOTO_DECODE_TIMEOUT,
        )
    else:
        results = []
        for data in payloads:
            try:
                results.append(photodecode.reencode(data, side=side, max_pixels=max_pixels()))
            except photodecode.Refused as exc:
                results.append(exc)
    clean = []
    for data, result in zip(payloads, results, strict=True):
        if isinstance(result, photodecode.Refused):
            raise ValidationError(messages[result.reason])
        clean.append(
            CleanPhoto(
                original=data,
                original_format=result.format,
                display=result.display,
                width=result.width,
                height=result.height,
            )
        )
    return clean
