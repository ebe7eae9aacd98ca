import pytest
from django.urls import reverse

from zhengwei.access.policy import may
from zhengwei.audit.models import AuditEntry
from zhengwei.demo.menu import MENU as DEMO_MENU
from zhengwei.wechat.outbound import policy, tokens
from zhengwei.wechat.outbound.models import MenuSource, PublishedMenu

pytestmark = pytest.mark.django_db
URL = reverse("wechat_outbound:menu")


def _post(client, account, action="publish", **fields):
    return client.post(f"{URL}?account={account.pk}", {"action": action, **fields})


def _report_menu():
    return {
        "b1_name": "我报灾情",
        "b1_type": "",
        "b1_1_name": "发送位置",
        "b1_1_type": "location_select",
        "b1_1_value": "REPORT_LOCATION",
        "b1_2_name": "报灾须知",
        "b1_2_type": "click",
        "b1_2_value": "REPORT",
        "b2_name": "汛情实况",
        "b2_type": "view",
        "b2_value": "https://slt.fujian.gov.cn/",
    }


def test_only_the_operator_and_the_administrator_open_the_menu_editor(world, client_for):
    for role, user in world.people.items():
        expected = 200 if may(user, policy.MENU_MANAGE, world.account) else 403
        assert client_for(user).get(URL).status_code == expected, role
    assert {r for r, u in world.people.items() if client_for(u).get(URL).status_code == 200} == {
        "operator",
        "system_admin",
    }
    assert client_for(world.outsider).get(f"{URL}?account={world.account.pk}").status_code == 403


def test_the_editor_shows_the_last_published_menu_without_calling_wechat(world, client_for):
    PublishedMenu.objects.create(account=world.account, json=DEMO_MENU, source=MenuSource.RECORDED)
    page = client_for(world["operator"]).get(URL).content.decode()
    for name in ("汛情实况", "工作动态", "我报灾情", "发送位置", "拍照上报", "报灾须知"):
        assert name in page
    assert 'value="REPORT_LOCATION"' in page and 'data-testid="menu-preview"' in page


def test_publishing_goes_through_wechat_and_is_stored_and_audited(world, client_for, fake):
    # The office's administrator publishes at once (a contractor's menu waits for approval:
    # wechat/inbound/tests/test_content_approval.py).
    tokens.get_token(world.account)
    response = _post(client_for(world["system_admin"]), world.account, **_report_menu())
    assert response.status_code == 302
    [sent] = fake.requests_to("/cgi-bin/menu/create")
    expected = {
        "button": [
            {
                "name": "我报灾情",
                "sub_button": [
                    {"name": "发送位置", "type": "location_select", "key": "REPORT_LOCATION"},
                    {"name": "报灾须知", "type": "click", "key": "REPORT"},
                ],
            },
            {"name": "汛情实况", "type": "view", "url": "https://slt.fujian.gov.cn/"},
        ]
    }
    assert sent.json == expected
    stored = PublishedMenu.objects.get()
    assert stored.json == expected and stored.published_by == world["system_admin"]
    assert AuditEntry.objects.get(action="wechat.menu.publish").after == expected


def test_a_fourth_top_level_button_is_explained_and_nothing_is_sent(world, client_for, fake):
    fields = {f"b{i}_name": f"菜单{i}" for i in range(1, 5)}
    fields.update({f"b{i}_type": "click" for i in range(1, 5)})
    fields.update({f"b{i}_value": f"K{i}" for i in range(1, 5)})
    response = _post(client_for(world["operator"]), world.account, **fields)
    assert response.status_code == 200
    assert "一级菜单" in response.content.decode()
    assert 'data-testid="menu-errors"' in response.content.decode()
    assert fake.calls == [] and not PublishedMenu.objects.exists()


def test_a_top_level_name_of_twenty_bytes_is_explained_next_to_the_field(world, client_for, fake):
    fields = _report_menu() | {"b2_name": "汛情实况通报七"}  # 7 characters, 21 bytes
    response = _post(client_for(world["operator"]), world.account, **fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-b2_name"' in page and "16" in page
    assert fake.calls == []


def test_a_click_button_without_a_key_is_explained_next_to_its_value(world, client_for, fake):
    fields = _report_menu() | {"b1_2_value": ""}
    page = _post(client_for(world["operator"]), world.account, **fields).content.decode()
    assert 'data-testid="error-b1_2_value"' in page
    assert fake.calls == []


def test_preview_checks_and_shows_the_menu_without_publishing(world, client_for, fake):
    response = _post(client_for(world["operator"]), world.account, "preview", **_report_menu())
    assert response.status_code == 200
    assert "报灾须知" in response.content.decode()
    assert fake.calls == [] and not PublishedMenu.objects.exists()


def test_a_wechat_refusal_is_a_message_not_an_error_page(world, client_for, fake):
    tokens.get_token(world.account)
    fake.route("/cgi-bin/menu/create", {"errcode": 40018, "errmsg": "invalid button name size"})
    response = _post(client_for(world["system_admin"]), world.account, **_report_menu())
    assert response.status_code == 200
    assert "菜单名称长度不合法" in response.content.decode()
    assert not PublishedMenu.objects.exists()
    assert AuditEntry.objects.get(action="wechat.menu.publish").outcome == "error"


def test_reading_from_wechat_stores_the_live_menu(world, client_for, fake):
    tokens.get_token(world.account)
    live = {
        "menu": {
            "button": [
                {"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY", "sub_button": []},
                {
                    "name": "我报灾情",
                    "sub_button": [
                        {"type": "click", "name": "报灾须知", "key": "REPORT", "sub_button": []}
                    ],
                },
            ]
        }
    }
    fake.route("/cgi-bin/menu/get", live)
    client = client_for(world["system_admin"])
    assert _post(client, world.account, "fetch").status_code == 302
    stored = PublishedMenu.objects.get()
    assert stored.source == MenuSource.FETCHED
    assert stored.json["button"][0] == {"type": "click", "name": "今日汛情", "key": "FLOOD_TODAY"}
    assert 'value="FLOOD_TODAY"' in client.get(URL).content.decode()


def test_reading_an_account_without_a_menu_is_explained(world, client_for, fake):
    tokens.get_token(world.account)
    fake.route("/cgi-bin/menu/get", {"errcode": 46003, "errmsg": "menu no exist"})
    response = _post(client_for(world["operator"]), world.account, "fetch")
    page = client_for(world["operator"]).get(response.url).content.decode()
    assert "46003" in page and not PublishedMenu.objects.exists()


def test_the_demo_menu_is_stored_without_any_http(world, fake):
    from zhengwei.wechat.outbound import services

    services.menu_record(actor=world["system_admin"], account=world.account, menu=DEMO_MENU)
    stored = PublishedMenu.objects.get()
    assert [b["name"] for b in stored.json["button"]] == ["汛情实况", "工作动态", "我报灾情"]
    report = stored.json["button"][2]["sub_button"]
    assert [(b["type"], b["key"]) for b in report] == [
        ("location_select", "REPORT_LOCATION"),
        ("pic_photo_or_album", "REPORT_PHOTO"),
        ("click", "REPORT"),
    ]
    assert fake.calls == []
