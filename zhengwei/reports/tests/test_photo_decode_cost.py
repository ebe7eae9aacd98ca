"""One phone cannot take a web worker away with photos (issue #9): nine 6300×6300 PNGs (about
1 MB in all) once cost 7 s and 600 MB of worker memory per report. Now the pixels of all photos
are checked from the headers before anything is decoded, and decoding runs in a child process with
a memory limit."""

import struct
import time
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from zhengwei.reports.models import Report
from zhengwei.reports.photos import clean_photos
from zhengwei.reports.tests.helpers import receive

pytestmark = pytest.mark.django_db

SIDE = 6300


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def big_png(side: int = SIDE, shade: int = 0) -> bytes:
    """A real, fully decodable side × side RGB PNG, compressed row by row (never held decoded)."""
    packer = zlib.compressobj(9)
    row = b"\0" + bytes([shade]) * (side * 3)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def _peak_rss_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


@pytest.fixture(scope="module")
def png():
    return big_png()


def test_nine_6300_pixel_pngs_in_one_report_are_refused_before_any_decoding(world, png):
    assert len(png) * 9 < 2 * 1024 * 1024  # the attack is cheap to send
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        receive(world, photos=[png] * 9)
    assert time.monotonic() - started < 2
    assert "太大" in refused.value.messages[0] or "过大" in refused.value.messages[0]
    assert Report.objects.count() == 0


def test_a_6300_pixel_png_is_decoded_outside_the_worker_whose_memory_stays_flat(png):
    if not _peak_rss_reset():
        pytest.skip("needs /proc/self/clear_refs (Linux)")
    before = _status_kb("VmRSS")
    (photo,) = clean_photos([png])
    grown_mb = (_status_kb("VmHWM") - before) / 1024
    assert (photo.width, photo.height) == (SIDE, SIDE)
    assert photo.display.startswith(b"\xff\xd8")  # a JPEG display copy came back
    assert grown_mb < 60, f"the worker grew {grown_mb:.0f} MB while a 119 MB image was decoded"


def test_a_photo_that_needs_more_memory_than_the_limit_is_refused_not_decoded(settings, png):
    settings.REPORT_PHOTO_DECODE_MEMORY_MB = 160  # less than 6300² RGB and its working copies
    with pytest.raises(ValidationError) as refused:
        clean_photos([png])
    assert "过大" in refused.value.messages[0]
    settings.REPORT_PHOTO_DECODE_MEMORY_MB = 1024
    assert clean_photos([png])[0].width == SIDE


def test_ordinary_phone_photos_still_pass_nine_at_a_time(world):
    from zhengwei.reports.tests.helpers import jpeg

    report = receive(world, photos=[jpeg(size=(400, 300))] * 9)
    assert report.photos.count() == 9
