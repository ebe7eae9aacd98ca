import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from zhengwei.newsroom.images import clean_image
from zhengwei.newsroom.services import image_upload

pytestmark = pytest.mark.django_db
UPLOADIMG = "/cgi-bin/media/uploadimg"


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    gps = {1: "N", 2: (26.0, 4.0, 30.0), 3: "E", 4: (119.0, 18.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_lose_their_exif_and_gps_before_anything_is_stored():
    data = photo_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    clean = clean_image(data)
    again = Image.open(io.BytesIO(clean.content))
    assert not again.getexif() and "exif" not in again.info
    assert (again.width, again.height) == (64, 48)


def test_an_image_wechat_would_refuse_is_refused_with_the_limit_named():
    with pytest.raises(ValidationError, match="JPG|PNG"):
        clean_image(b"GIF89a" + b"\0" * 100)


def test_an_uploaded_image_goes_through_wechat_and_comes_back_as_its_wechat_url(
    world, wechat, client_for
):
    wechat.route(UPLOADIMG, {"url": "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0"})
    response = client_for(world["writer"]).post(
        reverse("newsroom:image_upload"),
        {"image": io.BytesIO(photo_with_gps())},
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["url"] == "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0"
    [request] = wechat.requests_to(UPLOADIMG)
    assert b"Phone maker" not in request.body
    # The same picture again: no second upload.
    image_upload(actor=world["writer"], account=world.account, data=photo_with_gps())
    assert wechat.count(UPLOADIMG) == 1
