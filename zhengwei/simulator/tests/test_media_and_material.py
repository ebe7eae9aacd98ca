"""Media upload, body images and permanent material keep WeChat's type and size rules."""

import pytest

from zhengwei.simulator.tests.conftest import image_bytes

pytestmark = pytest.mark.django_db(databases="__all__")


def test_a_temporary_image_uploads_and_downloads_by_media_id(api):
    data = image_bytes()
    result = api.upload("cgi-bin/media/upload", data, type="image")
    assert result["type"] == "image" and result["media_id"]
    response = api.get("cgi-bin/media/get", {"media_id": result["media_id"]})
    assert response.content == data and response["Content-Type"] == "image/jpeg"


def test_the_upload_field_must_be_called_media(api, client):
    url = f"/sim/api/cgi-bin/media/upload?type=image&access_token={api.token}"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("a.jpg", image_bytes())})
    assert response.json()["errcode"] == 41005


def test_types_and_sizes_are_checked(api, settings):
    assert api.upload("cgi-bin/media/upload", image_bytes(), type="picture")["errcode"] == 40004
    assert api.upload("cgi-bin/media/upload", b"not an image", type="image")["errcode"] == 40005
    # A thumb is a JPEG of at most 64 KB.
    assert api.upload("cgi-bin/media/upload", image_bytes("PNG"), type="thumb")["errcode"] == 40005
    big = b"\xff\xd8\xff" + b"0" * (64 * 1024)
    assert api.upload("cgi-bin/media/upload", big, type="thumb")["errcode"] == 40012
    settings.SIMULATOR_LIMITS = {"media": {"types": {"image": {"max_bytes": 100}}}}
    assert api.upload("cgi-bin/media/upload", image_bytes(), type="image")["errcode"] == 40009


def test_uploadimg_takes_jpg_or_png_under_1_mb_and_returns_a_url(api, client):
    result = api.upload("cgi-bin/media/uploadimg", image_bytes("PNG"), "a.png")
    assert result["url"].startswith("http://127.0.0.1:9/sim/media/")
    assert client.get(result["url"].split(":9", 1)[1]).status_code == 200
    gif = image_bytes("GIF")
    assert api.upload("cgi-bin/media/uploadimg", gif, "a.gif")["errcode"] == 40005
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024)
    assert api.upload("cgi-bin/media/uploadimg", big, "a.png")["errcode"] == 40009


def test_permanent_material_is_listed_counted_fetched_and_deleted(api):
    media_id = api.upload("cgi-bin/material/add_material", image_bytes(), type="image")["media_id"]
    assert api.get("cgi-bin/material/get_materialcount")["image_count"] == 1
    page = api.post(
        "cgi-bin/material/batchget_material", {"type": "image", "offset": 0, "count": 20}
    )
    assert page["total_count"] == 1 and page["item"][0]["media_id"] == media_id
    fetched = api.post("cgi-bin/material/get_material", {"media_id": media_id})
    assert fetched.status_code == 200
    assert api.post("cgi-bin/material/del_material", {"media_id": media_id})["errcode"] == 0
    assert api.post("cgi-bin/material/get_material", {"media_id": media_id})["errcode"] == 40007


def test_a_video_material_needs_a_description(api):
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"0" * 100
    assert (
        api.upload("cgi-bin/material/add_material", mp4, "v.mp4", type="video")["errcode"] == 40035
    )
    form = {"description": '{"title": "防汛演练", "introduction": "2026年演练"}'}
    media_id = api.upload("cgi-bin/material/add_material", mp4, "v.mp4", form=form, type="video")[
        "media_id"
    ]
    video = api.post("cgi-bin/material/get_material", {"media_id": media_id})
    assert video["title"] == "防汛演练" and video["down_url"]
