import pytest
from django.core.exceptions import ValidationError

from zhengwei.wechat.outbound import tokens

pytestmark = pytest.mark.django_db


def _button(i, **extra):
    return {"type": "click", "name": f"项目{i}", "key": f"k{i}", **extra}


def _menu(top=3, subs=5):
    return {
        "button": [
            {"name": f"菜单{i}", "sub_button": [_button(j) for j in range(subs)]}
            for i in range(top)
        ]
    }


def _refused(wx, fake, menu) -> str:
    with pytest.raises(ValidationError) as caught:
        wx.menu_create(menu)
    assert fake.count("/cgi-bin/menu/create") == 0  # nothing was sent
    return " ".join(caught.value.messages)


def test_a_full_three_by_five_menu_is_sent(wx, account, fake):
    tokens.get_token(account)
    wx.menu_create(_menu())
    [request] = fake.requests_to("/cgi-bin/menu/create")
    assert len(request.json["button"]) == 3
    assert all(len(b["sub_button"]) == 5 for b in request.json["button"])


def test_the_disaster_report_buttons_are_accepted(wx, account, fake):
    tokens.get_token(account)
    menu = {
        "button": [
            {
                "name": "我报灾情",
                "sub_button": [
                    {"type": "location_select", "name": "发送位置", "key": "report_location"},
                    {"type": "pic_photo_or_album", "name": "拍照或相册", "key": "report_photo"},
                    {"type": "view", "name": "汛情实况", "url": "https://example.gov.cn/flood"},
                ],
            }
        ]
    }
    wx.menu_create(menu)
    assert fake.count("/cgi-bin/menu/create") == 1


def test_a_fourth_top_level_button_is_refused_in_chinese(wx, fake):
    assert "一级菜单" in _refused(wx, fake, _menu(top=4))


def test_a_sixth_sub_button_is_refused(wx, fake):
    assert "二级菜单" in _refused(wx, fake, _menu(subs=6))


def test_top_level_names_are_limited_to_16_bytes(wx, account, fake):
    tokens.get_token(account)
    wx.menu_create({"button": [_button(0, name="汛情实况五")]})  # 5 characters, 15 bytes
    fake.calls.clear()
    assert "16" in _refused(wx, fake, {"button": [_button(0, name="汛情实况六字")]})  # 18 bytes


def test_sub_button_names_are_limited_to_60_bytes(wx, account, fake):
    tokens.get_token(account)
    ok = {"button": [{"name": "工作", "sub_button": [_button(0, name="汛" * 20)]}]}
    wx.menu_create(ok)
    fake.calls.clear()
    too_long = {"button": [{"name": "工作", "sub_button": [_button(0, name="汛" * 21)]}]}
    assert "60" in _refused(wx, fake, too_long)


def test_keys_and_urls_have_byte_limits(wx, fake):
    assert "128" in _refused(wx, fake, {"button": [_button(0, key="k" * 129)]})
    long_url = {"button": [{"type": "view", "name": "网页", "url": "https://a.cn/" + "x" * 1020}]}
    assert "1024" in _refused(wx, fake, long_url)


def test_unknown_button_types_are_refused(wx, fake):
    assert "oauth" in _refused(wx, fake, {"button": [_button(0, type="oauth")]})


def test_the_limits_follow_configuration(wx, account, fake, settings):
    tokens.get_token(account)
    settings.WECHAT_LIMITS = {"menu": {"top_name_bytes": 40}}
    wx.menu_create({"button": [_button(0, name="汛情实况六字")]})
    assert fake.count("/cgi-bin/menu/create") == 1
