from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from zhengwei.reports import links
from zhengwei.reports.models import Channel, Report
from zhengwei.reports.tests.helpers import jpeg, upload

pytestmark = pytest.mark.django_db


def _form(world, **data):
    base = {
        "hazard": "flash_flood",
        "description": "山洪冲毁便桥",
        "lat": "26.0612",
        "lng": "119.1952",
        "accuracy": "30",
        "datum": "wgs84",
        "account": world.account.original_id,
    }
    base.update(data)
    return base


def test_the_form_shows_the_hazards_in_chinese(world, client):
    page = client.get(reverse("reports:h5_form"), {"account": world.account.original_id})
    page = page.content.decode()
    for label in ("内涝", "山洪", "滑坡/泥石流", "房屋倒损", "人员被困", "道路/桥梁受损", "其他"):
        assert label in page
    assert "110" in page


def test_a_signed_link_carries_the_wechat_user(world, client):
    url = links.h5_link(account_id=world.account.pk, openid="oWX-citizen-42")
    response = client.post(url, _form(world, t=url.split("t=")[1]))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.reporter_openid == "oWX-citizen-42"
    assert report.channel == Channel.H5
    body = response.content.decode()
    assert report.ticket in body
    assert links.status_path(report.ticket) in body


def test_with_a_link_the_phone_is_optional(world, client):
    token = links.h5_token(account_id=world.account.pk, openid="oWX-1")
    response = client.post(reverse("reports:h5_form"), _form(world, t=token))
    assert response.status_code == 200
    assert Report.objects.get().reporter_phone_masked == ""


def test_without_a_link_the_phone_is_required_and_the_report_keyed_on_it(world, client):
    response = client.post(reverse("reports:h5_form"), _form(world))
    assert response.status_code == 400
    assert "手机号" in response.content.decode()
    response = client.post(reverse("reports:h5_form"), _form(world, phone="138 0000 1234"))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.reporter_openid == ""
    assert report.reporter_phone == "13800001234"


def test_an_expired_link_is_explained_and_falls_back_to_the_phone(world, client, settings):
    settings.REPORT_H5_LINK_MAX_AGE = 3600
    with freeze_time("2026-07-28 10:00:00+08:00") as clock:
        token = links.h5_token(account_id=world.account.pk, openid="oWX-old")
        clock.tick(timedelta(hours=2))
        page = client.get(
            reverse("reports:h5_form"), {"t": token, "account": world.account.original_id}
        ).content.decode()
        assert "过期" in page
        response = client.post(reverse("reports:h5_form"), _form(world, t=token))
        assert response.status_code == 400
        client.post(reverse("reports:h5_form"), _form(world, t=token, phone="13800001234"))
    assert Report.objects.get().reporter_openid == ""


def test_a_tampered_link_is_not_trusted(world, client):
    token = links.h5_token(account_id=world.account.pk, openid="oWX-1")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    page = client.get(
        reverse("reports:h5_form"), {"t": forged, "account": world.account.original_id}
    ).content.decode()
    assert "链接无效" in page


def test_bad_input_gets_clear_chinese_messages(world, client):
    response = client.post(reverse("reports:h5_form"), _form(world, hazard="", phone="12345"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "手机号" in body
    response = client.post(
        reverse("reports:h5_form"),
        _form(world, phone="13800001234"),
    )
    assert response.status_code == 200
    response = client.post(reverse("reports:h5_form"), _form(world, hazard="", phone="13800001235"))
    assert "请选择灾情类型" in response.content.decode()


def test_photos_and_the_danger_tick_arrive(world, client):
    data = _form(world, phone="13800001234", lives_in_danger="1")
    data["photos"] = [upload(jpeg(), "a.jpg"), upload(jpeg(), "b.jpg")]
    response = client.post(reverse("reports:h5_form"), data)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.photos.count() == 2
    assert report.lives_in_danger and report.priority == "P0"


def test_a_non_image_upload_is_refused_with_a_message(world, client):
    data = _form(world, phone="13800001234")
    data["photos"] = [upload(b"<html></html>", "x.jpg")]
    response = client.post(reverse("reports:h5_form"), data)
    assert response.status_code == 400
    assert "JPEG" in response.content.decode()
    assert not Report.objects.exists()


def test_a_typed_address_is_enough(world, client):
    data = _form(world, phone="13800001234", lat="", lng="", address="闽侯县南屿镇")
    assert client.post(reverse("reports:h5_form"), data).status_code == 200
    report = Report.objects.get()
    assert report.location_flag == "missing" and report.county_name == "闽侯县"
