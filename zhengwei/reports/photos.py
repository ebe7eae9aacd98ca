"""Validate and re-encode citizens' photos before anything is stored.

- Only JPEG, PNG and WebP are decoded (HEIC too when ``pillow-heif`` is installed); the decoder is
  chosen from the bytes with ``Image.open(..., formats=...)``, never from the file name, so an
  HTML/GIF polyglot or a PDF renamed .jpg is refused.
- Size cap per file (REPORT_PHOTO_MAX_BYTES) and a pixel cap (REPORT_PHOTO_MAX_PIXELS) checked from
  the header before decoding; Pillow's own decompression-bomb warning is turned into a refusal.
- The display copy is re-encoded as JPEG from the pixels alone (orientation applied, at most
  REPORT_PHOTO_MAX_SIDE pixels on the long side), so EXIF — GPS position, device, time — is gone.
  The original bytes are kept for the office only.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ["JPEG", "PNG", "WEBP"]
try:  # optional: iPhone HEIC photos
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    FORMATS.append("HEIF")
except ImportError:  # pragma: no cover - depends on the installation
    pass

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


def clean_photo(upload) -> CleanPhoto:
    data = _read(upload)
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError(_too_big(limit))
    if not data:
        raise ValidationError(_("The photo is empty."))
    not_a_photo = _("This file is not a photo we accept (JPEG, PNG or WebP).")
    too_large = _("The photo is too large to process. Send a smaller one.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                fmt = probe.format
                width, height = probe.size
                if width * height > max_pixels():
                    raise ValidationError(too_large)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                display = _reencode(image)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(too_large) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(not_a_photo) from None
    return CleanPhoto(
        original=data, original_format=fmt or "", display=display, width=width, height=height
    )


def _reencode(image: Image.Image) -> bytes:
    side = getattr(settings, "REPORT_PHOTO_MAX_SIDE", 2560)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    # Pixels only: Pillow writes EXIF/ICC/XMP to a JPEG only when asked to, and we never ask.
    clean = image.copy()
    clean.info = {}
    clean.thumbnail((side, side))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = [u for u in uploads if u]
    if len(uploads) > max_count():
        raise ValidationError(
            _("At most %(n)d photos can be sent with one report.") % {"n": max_count()}
        )
    return [clean_photo(u) for u in uploads]
