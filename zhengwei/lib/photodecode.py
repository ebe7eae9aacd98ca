"""Decode and re-encode untrusted photos, optionally in a child process with a memory limit.

A 1 MB PNG can declare 6300×6300 pixels: decoding it costs ~160 MB and about a second of CPU,
and nine of them in one report once grew a web worker from 163 MB to 784 MB for good (CPython
keeps freed arenas). ``reencode_isolated`` runs the decoding in a short-lived child
(``python -m zhengwei.lib.photodecode``) that sets its own address-space and CPU limits before it
touches a byte, so a hostile photo costs the child, never the web worker: the worker's memory
stays flat, and a photo that needs more than the limit is refused instead of swapping the host.

The child speaks a tiny framed protocol on stdin/stdout (no pickle: the parent trusts nothing the
child could have been tricked into writing beyond lengths and bytes). This module imports no
Django, so the child starts in about a tenth of a second.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ["JPEG", "PNG", "WEBP"]
try:  # optional: iPhone HEIC photos
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    FORMATS.append("HEIF")
except ImportError:  # pragma: no cover - depends on the installation
    pass

NOT_A_PHOTO = "not_a_photo"
TOO_LARGE = "too_large"
_LEN = struct.Struct(">Q")


@dataclass
class Decoded:
    format: str
    width: int
    height: int
    display: bytes


class Refused(Exception):
    """``reason`` is NOT_A_PHOTO or TOO_LARGE."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def probe(data: bytes, max_pixels: int) -> tuple[str, int, int]:
    """Format and size from the header alone (no pixel is decoded); refuses what is too large."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                fmt, (width, height) = image.format or "", image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused(TOO_LARGE) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise Refused(NOT_A_PHOTO) from None
    if width * height > max_pixels:
        raise Refused(TOO_LARGE)
    return fmt, width, height


def reencode(data: bytes, *, side: int, max_pixels: int) -> Decoded:
    """Verify, decode and re-encode as a JPEG of at most ``side`` pixels, pixels only (no EXIF,
    GPS, ICC or XMP survives)."""
    fmt, width, height = probe(data, max_pixels)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                image.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                # JPEG can decode at 1/2, 1/4 or 1/8 scale: never more pixels than the display
                # copy needs (draft keeps at least ``side`` on the long side).
                image.draft("RGB", (side, side))
                image.load()
                image = ImageOps.exif_transpose(image)
                display = _to_jpeg(image, side)
        except MemoryError:
            raise Refused(TOO_LARGE) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused(TOO_LARGE) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise Refused(NOT_A_PHOTO) from None
    return Decoded(fmt, width, height, display)


def _to_jpeg(image: Image.Image, side: int) -> bytes:
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


# --- the child process --------------------------------------------------------------------------
def _write_frame(stream, payload: bytes) -> None:
    stream.write(_LEN.pack(len(payload)))
    stream.write(payload)


def _read_frame(stream, limit: int) -> bytes:
    head = stream.read(_LEN.size)
    if len(head) != _LEN.size:
        raise EOFError("truncated frame")
    (size,) = _LEN.unpack(head)
    if size > limit:
        raise ValueError("frame too large")
    payload = stream.read(size)
    if len(payload) != size:
        raise EOFError("truncated frame")
    return payload


def reencode_isolated(
    photos: list[bytes], *, side: int, max_pixels: int, memory_mb: int, timeout: float
) -> list[Decoded | Refused]:
    """``reencode`` each photo in one child limited to ``memory_mb`` of address space and
    ``timeout`` seconds; a photo the child could not finish is refused as too large."""
    request = io.BytesIO()
    _write_frame(request, json.dumps({"side": side, "max_pixels": max_pixels}).encode())
    for data in photos:
        _write_frame(request, data)
    argv = [sys.executable, "-m", "zhengwei.lib.photodecode", str(memory_mb), str(int(timeout) + 1)]
    try:
        done = subprocess.run(
            argv,
            input=request.getvalue(),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    except subprocess.TimeoutExpired:
        return [Refused(TOO_LARGE) for _ in photos]
    out = io.BytesIO(done.stdout)
    results: list[Decoded | Refused] = []
    for _ in photos:
        try:
            meta = json.loads(_read_frame(out, 4096))
            if "refused" in meta:
                results.append(Refused(meta["refused"]))
                continue
            display = _read_frame(out, 64 * 1024 * 1024)
            results.append(Decoded(meta["format"], meta["width"], meta["height"], display))
        except (EOFError, ValueError, KeyError, TypeError):
            # The child died on this photo (the memory or CPU limit): it and the rest are refused.
            results.append(Refused(TOO_LARGE))
    return results


def _child(memory_mb: int, cpu_seconds: int) -> None:
    import resource  # POSIX only; the child runs only where the parent chose to isolate

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    options = json.loads(_read_frame(stdin, 4096))
    while True:
        try:
            data = _read_frame(stdin, 1 << 31)
        except EOFError:
            break
        try:
            decoded = reencode(data, side=options["side"], max_pixels=options["max_pixels"])
        except Refused as exc:
            _write_frame(stdout, json.dumps({"refused": exc.reason}).encode())
        else:
            meta = {"format": decoded.format, "width": decoded.width, "height": decoded.height}
            _write_frame(stdout, json.dumps(meta).encode())
            _write_frame(stdout, decoded.display)
        stdout.flush()


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))
