"""menu/create applies the platform's rules with its error codes."""

import pytest

pytestmark = pytest.mark.django_db(databases="__all__")

REPORT_MENU = [
    {
        "name": "汛情实况",
        "sub_button": [
            {"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY"},
            {"type": "view", "name": "雨情水情", "url": "https://example.gov.cn/rain"},
        ],
    },
    {"type": "click", "name": "工作动态", "key": "WORK_NEWS"},
    {
        "name": "我报灾情",
        "sub_button": [
            {"type": "location_select", "name": "发送位置", "key": "REPORT_LOCATION"},
            {"type": "pic_photo_or_album", "name": "拍照或相册", "key": "REPORT_PHOTO"},
        ],
    },
]


def create(api, buttons):
    return api.post("cgi-bin/menu/create", {"button": buttons})


def test_a_valid_menu_is_stored_and_returned_by_menu_get(api):
    assert create(api, REPORT_MENU) == {"errcode": 0, "errmsg": "ok"}
    menu = api.get("cgi-bin/menu/get")["menu"]
    assert [b["name"] for b in menu["button"]] == ["汛情实况", "工作动态", "我报灾情"]
    assert menu["button"][1]["sub_button"] == []
    assert menu["menuid"]


def test_menu_get_without_a_menu_answers_46003(api):
    assert api.get("cgi-bin/menu/get")["errcode"] == 46003


def test_menu_delete_removes_the_menu(api):
    create(api, REPORT_MENU)
    assert api.get("cgi-bin/menu/delete")["errcode"] == 0
    assert api.get("cgi-bin/menu/get")["errcode"] == 46003


def test_more_than_three_top_level_buttons_answer_40016(api):
    four = [{"type": "click", "name": f"菜单{n}", "key": f"K{n}"} for n in range(4)]
    assert create(api, four)["errcode"] == 40016
    assert create(api, [])["errcode"] == 40016


def test_more_than_five_sub_buttons_answer_40023(api):
    subs = [{"type": "click", "name": f"子{n}", "key": f"K{n}"} for n in range(6)]
    assert create(api, [{"name": "汛情", "sub_button": subs}])["errcode"] == 40023


def test_a_top_level_name_over_sixteen_bytes_answers_40018(api):
    assert create(api, [{"type": "click", "name": "汛情实况通报", "key": "K"}])["errcode"] == 40018
    # 5 Chinese characters are 15 bytes: accepted.
    assert create(api, [{"type": "click", "name": "汛情实况报", "key": "K"}])["errcode"] == 0


def test_a_sub_button_name_over_sixty_bytes_answers_40025(api):
    long_name = "汛" * 21  # 63 bytes
    menu = [{"name": "汛情", "sub_button": [{"type": "click", "name": long_name, "key": "K"}]}]
    assert create(api, menu)["errcode"] == 40025
    menu[0]["sub_button"][0]["name"] = "汛" * 20  # 60 bytes
    assert create(api, menu)["errcode"] == 0


def test_keys_over_128_bytes_and_bad_urls_are_refused(api):
    assert create(api, [{"type": "click", "name": "a", "key": "k" * 129}])["errcode"] == 40019
    sub = [{"name": "a", "sub_button": [{"type": "click", "name": "b", "key": "k" * 129}]}]
    assert create(api, sub)["errcode"] == 40026
    assert create(api, [{"type": "view", "name": "a", "url": "ftp://x"}])["errcode"] == 40020
    long_url = "https://example.gov.cn/" + "a" * 1010
    assert create(api, [{"type": "view", "name": "a", "url": long_url}])["errcode"] == 40020


def test_an_unknown_button_type_answers_40017(api):
    assert create(api, [{"type": "shake", "name": "a", "key": "k"}])["errcode"] == 40017


def test_an_unverified_account_cannot_use_the_menu_api(api, account):
    account.verified = False
    account.save()
    assert create(api, REPORT_MENU)["errcode"] == 48001
    assert api.get("cgi-bin/menu/get")["errcode"] == 48001


def test_a_body_that_is_not_json_answers_47001(client, api):
    response = client.post(
        f"/sim/api/cgi-bin/menu/create?access_token={api.token}",
        data="button=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.json()["errcode"] == 47001
