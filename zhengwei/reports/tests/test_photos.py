import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from zhengwei.reports.photos import clean_photo, clean_photos
from zhengwei.reports.tests.helpers import dispatched, jpeg, receive, upload

pytestmark = pytest.mark.django_db


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be width × height pixels (a decompression bomb's calling card)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_jpeg_is_accepted_and_its_display_copy_has_no_exif(world):
    photo = clean_photo(upload(jpeg(exif_gps=True)))
    assert photo.original_format == "JPEG"
    assert (
        Image.open(io.BytesIO(photo.original)).getexif().get(0x8825)
    )  # the GPS is in the original
    shown = Image.open(io.BytesIO(photo.display))
    assert shown.format == "JPEG"
    assert not shown.getexif()
    assert b"Exif" not in photo.display and b"TestCam" not in photo.display


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(fmt):
    assert clean_photo(jpeg(fmt=fmt)).original_format == fmt


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.4 not a photo",
        b"GIF89a" + b"\0" * 40,
        b"",
    ],
)
def test_anything_that_is_not_an_accepted_photo_is_refused_with_a_message(data):
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(upload(data, name="photo.jpg"))
    message = " ".join(excinfo.value.messages)
    assert "照片" in message


def test_a_real_gif_is_refused_even_if_named_jpg():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        clean_photo(upload(out.getvalue(), name="x.jpg"))


def test_an_oversized_file_is_refused(settings):
    settings.REPORT_PHOTO_MAX_BYTES = 2048
    big = jpeg(size=(800, 800))
    assert len(big) > 2048
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(upload(big))
    assert "MB" in excinfo.value.messages[0]


def test_a_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(_png_header_only(30000, 30000))
    assert "过大" in excinfo.value.messages[0]


def test_pillows_own_bomb_guard_is_also_turned_into_a_refusal(settings):
    settings.REPORT_PHOTO_MAX_PIXELS = 10**12  # our cap out of the way: Pillow's guard remains
    with pytest.raises(ValidationError):
        clean_photo(_png_header_only(20000, 20000))


def test_a_truncated_image_is_refused():
    with pytest.raises(ValidationError):
        clean_photo(jpeg(size=(200, 200))[:300])


def test_at_most_nine_photos_per_report():
    with pytest.raises(ValidationError):
        clean_photos([jpeg() for _ in range(10)])
    assert len(clean_photos([jpeg() for _ in range(9)])) == 9


def test_a_refused_photo_stores_no_report(world):
    from zhengwei.reports.models import Report

    with pytest.raises(ValidationError):
        receive(world, photos=[upload(b"not an image")])
    assert not Report.objects.exists()


def test_the_unit_sees_the_clean_copy_and_only_the_office_the_original(world, client_for):
    report = dispatched(world, photos=[jpeg(exif_gps=True)])
    photo = report.photos.get()
    unit = client_for(world["unit_officer"])
    shown = unit.get(reverse("reports:photo", args=[photo.pk, "display"]))
    assert shown.status_code == 200
    assert b"TestCam" not in b"".join(shown.streaming_content)
    assert unit.get(reverse("reports:photo", args=[photo.pk, "original"])).status_code == 403
    office = client_for(world["duty_officer"])
    original = office.get(reverse("reports:photo", args=[photo.pk, "original"]))
    assert original.status_code == 200
    assert b"TestCam" in b"".join(original.streaming_content)
    assert original["Cache-Control"] == "private, no-store"


def test_photo_files_live_outside_the_public_media_url(world, settings):
    report = receive(world, photos=[jpeg()])
    photo = report.photos.get()
    assert photo.original.path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError):
        photo.original.url  # noqa: B018 - no public URL exists
