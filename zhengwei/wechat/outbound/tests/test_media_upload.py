import pytest
from django.core.exceptions import ValidationError

from zhengwei.wechat.outbound import tokens
from zhengwei.wechat.outbound.errors import WeChatError

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def ready(account, fake):
    tokens.get_token(account)


def test_temporary_media_is_uploaded_as_the_media_form_field(wx, fake, ready):
    fake.route("/cgi-bin/media/upload", {"type": "image", "media_id": "MEDIA_1"})
    assert wx.media_upload("image", PNG, "radar.png", "image/png")["media_id"] == "MEDIA_1"
    [request] = fake.requests_to("/cgi-bin/media/upload")
    assert request.query["type"] == "image"
    assert b'name="media"; filename="radar.png"' in request.body and PNG in request.body


def test_uploadimg_returns_the_url_for_article_bodies(wx, fake, ready):
    fake.route("/cgi-bin/media/uploadimg", {"url": "http://mmbiz.qpic.cn/x/0"})
    assert wx.media_uploadimg(PNG, "cloud.png", "image/png") == "http://mmbiz.qpic.cn/x/0"


def test_uploadimg_refuses_large_or_odd_images_locally(wx, fake, ready):
    with pytest.raises(ValidationError):
        wx.media_uploadimg(b"0" * (1024 * 1024), "big.png", "image/png")
    with pytest.raises(ValidationError):
        wx.media_uploadimg(PNG, "a.gif", "image/gif")
    assert fake.count("/cgi-bin/media/uploadimg") == 0


def test_a_citizens_photo_downloads_as_bytes(wx, fake, ready):
    fake.route("/cgi-bin/media/get", b"\xff\xd8\xff photo bytes")
    assert wx.media_get("MEDIA_ID").startswith(b"\xff\xd8\xff")


def test_a_download_error_is_still_an_error(wx, fake, ready):
    fake.route("/cgi-bin/media/get", {"errcode": 40007, "errmsg": "invalid media_id"})
    with pytest.raises(WeChatError) as caught:
        wx.media_get("EXPIRED")
    assert caught.value.errcode == 40007


def test_a_permanent_video_carries_its_description(wx, fake, ready):
    fake.route("/cgi-bin/material/add_material", {"media_id": "VIDEO_1"})
    wx.material_add("video", b"mp4", "v.mp4", "video/mp4", title="防汛演练", introduction="2026年")
    [request] = fake.requests_to("/cgi-bin/material/add_material")
    assert request.query["type"] == "video"
    assert "防汛演练".encode() in request.body
