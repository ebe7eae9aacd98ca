"""Images for articles: decoded from their bytes, re-encoded from the pixels alone so EXIF (GPS
position, device, time) never leaves the office, and checked against WeChat's limits."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from zhengwei.wechat.outbound import limits

MAX_SIDE = 1600
MAX_PIXELS = 40_000_000


@dataclass
class CleanImage:
    content: bytes
    content_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def extension(self) -> str:
        return ".png" if self.content_type == "image/png" else ".jpg"


def clean_image(data: bytes) -> CleanImage:
    """JPEG or PNG in, the same picture out without metadata; refused with WeChat's limit named
    when WeChat would refuse it (type, size)."""
    conf = limits.get("media")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning, OSError) as exc:
        raise ValidationError(_("WeChat accepts only JPG or PNG images in articles.")) from exc
    is_png = image.format == "PNG"
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if is_png:
        pixels = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "P") else image
        pixels.save(out, format="PNG", optimize=True)  # no info, no EXIF chunk
        content_type = "image/png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
        content_type = "image/jpeg"
    content = out.getvalue()
    if len(content) >= conf["uploadimg_bytes"]:
        raise ValidationError(
            _("WeChat accepts images smaller than %(mb)d MB in articles.")
            % {"mb": conf["uploadimg_bytes"] // (1024 * 1024)}
        )
    return CleanImage(content, content_type, image.width, image.height)
