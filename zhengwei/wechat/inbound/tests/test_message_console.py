import time

import pytest
from django.urls import reverse

from zhengwei.console.navigation import items_for
from zhengwei.lib.privacy import pseudonym
from zhengwei.wechat.inbound.tests.helpers import post, text_fields

URL = reverse("wechat_inbound:messages")


def _location(account):
    return {
        "ToUserName": account.original_id,
        "FromUserName": "oCitizenWithLocation",
        "CreateTime": int(time.time()),
        "MsgType": "location",
        "Location_X": "26.0745",
        "Location_Y": "119.2965",
        "Scale": "15",
        "Label": "福州市鼓楼区五四路",
        "MsgId": 424242,
    }


def _photo(account):
    return {
        "ToUserName": account.original_id,
        "FromUserName": "oCitizenWithPhoto",
        "CreateTime": int(time.time()),
        "MsgType": "image",
        "PicUrl": "http://mmbiz.qpic.cn/secret-photo.jpg",
        "MediaId": "MEDIA_SECRET",
        "MsgId": 434343,
    }


@pytest.fixture
def stored(world, client):
    account = world.account
    post(client, account, text_fields(account, "五四路积水半米深"))
    post(client, account, _location(account))
    post(client, account, _photo(account))
    return account


@pytest.mark.parametrize("role", ["duty_officer", "office_leader", "auditor", "operator", "editor"])
def test_office_roles_and_the_contractors_operator_and_editor_see_the_messages(
    stored, client_for, world, role
):
    page = client_for(world[role]).get(URL).content.decode()
    assert "五四路积水半米深" in page
    # The openid identifies the citizen: a pseudonym, stable per account, stands for it.
    assert "oCitizenWithLocation" not in page
    assert pseudonym("oCitizenWithLocation", account_id=stored.pk) in page


@pytest.mark.parametrize("role", ["writer", "unit_officer"])
def test_other_roles_may_not_open_the_message_list(stored, client_for, world, role):
    assert client_for(world[role]).get(URL).status_code == 403


def test_an_outsider_cannot_see_another_offices_messages(stored, client_for, world):
    page = client_for(world.outsider).get(f"{URL}?account={stored.pk}")
    assert page.status_code == 403


def test_the_duty_officer_sees_coordinates_and_photo_links(stored, client_for, world):
    page = client_for(world["duty_officer"]).get(URL).content.decode()
    assert "26.0745" in page and "福州市鼓楼区五四路" in page
    assert "secret-photo.jpg" in page


@pytest.mark.parametrize("role", ["operator", "editor", "auditor"])
def test_roles_without_personal_data_see_locations_and_photos_masked(
    stored, client_for, world, role
):
    page = client_for(world[role]).get(URL).content.decode()
    assert "26.0745" not in page and "五四路" not in page.replace("五四路积水半米深", "")
    assert "secret-photo.jpg" not in page and "MEDIA_SECRET" not in page
    assert "个人信息已隐藏" in page


def test_the_list_refreshes_itself_through_htmx_polling(stored, client_for, world):
    client = client_for(world["duty_officer"])
    page = client.get(URL).content.decode()
    assert 'hx-trigger="every 5s"' in page
    partial = client.get(
        f"{URL}?account={stored.pk}&partial=1", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.lstrip().startswith("<tbody")
    assert "<html" not in partial and "五四路积水半米深" in partial


def test_a_new_message_appears_in_the_next_poll(stored, client_for, world, client):
    viewer = client_for(world["duty_officer"])
    post(viewer, stored, text_fields(stored, "新消息：桥面被淹"))
    partial = viewer.get(f"{URL}?partial=1", HTTP_HX_REQUEST="true").content.decode()
    assert "新消息：桥面被淹" in partial


def test_the_page_is_in_the_navigation_for_those_who_may_see_it(world):
    assert "wechat_inbound:messages" in [i.url_name for i in items_for(world["duty_officer"])]
    assert "wechat_inbound:messages" not in [i.url_name for i in items_for(world["writer"])]


def test_unknown_types_and_states_are_shown(world, client, client_for):
    account = world.account
    fields = {**text_fields(account), "MsgType": "miniprogrampage", "Title": "小程序卡片"}
    post(client, account, fields)
    page = client_for(world["duty_officer"]).get(URL).content.decode()
    assert "miniprogrampage" in page


def test_administrators_see_refused_requests_with_their_reason_and_source(
    world, client, client_for
):
    account = world.account
    bad = client.get(
        f"/wechat/callback/{account.original_id}/?signature=00&timestamp=1&nonce=2&echostr=x",
        REMOTE_ADDR="192.0.2.44",
    )
    assert bad.status_code == 403
    page = client_for(world["system_admin"]).get(URL).content.decode()
    assert 'data-testid="rejections"' in page and "192.0.2.44" in page and "签名错误" in page
    duty = client_for(world["duty_officer"]).get(URL).content.decode()
    assert 'data-testid="rejections"' not in duty
