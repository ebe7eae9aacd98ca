"""The demo publishes its one menu to WeChat (the simulator under ./run): the phone shows the
menu the console shows (issue #7: the simulator said no menu had been created)."""

import pytest

from zhengwei.demo import menu, orgs, wechat
from zhengwei.demo.constants import APP_SECRET, ORIGINAL_ID
from zhengwei.orgs.models import WeChatAccount
from zhengwei.wechat.outbound.models import MenuSource, PublishedMenu
from zhengwei.wechat.outbound.tests import fakewechat
from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings, monkeypatch):
    # The fake checks the AppSecret; the demo account has its own (README).
    monkeypatch.setattr(fakewechat, "SECRET", APP_SECRET)
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_TOKEN_MODE = "stable"
    yield server
    server.stop()


def test_the_demo_menu_is_published_as_the_console_shows_it(fake):
    for module in (orgs, wechat, menu):
        module.seed(out=lambda line: None)
    assert menu.publish(out=lambda line: None)
    (sent,) = [r.json for r in fake.requests_to("/cgi-bin/menu/create")]
    assert sent == menu.MENU
    account = WeChatAccount.objects.get(original_id=ORIGINAL_ID)
    current = PublishedMenu.objects.filter(account=account).first()
    assert current.source == MenuSource.PUBLISHED and current.json == menu.MENU
    names = [b["name"] for top in sent["button"] for b in top.get("sub_button", [])]
    assert "报灾须知" in names


def test_a_refusal_is_said_and_nothing_is_recorded_as_published(fake):
    for module in (orgs, wechat, menu):
        module.seed(out=lambda line: None)
    fake.route("/cgi-bin/menu/create", {"errcode": 48001, "errmsg": "api unauthorized"})
    said = []
    assert not menu.publish(out=said.append)
    assert "not published" in said[0]
    assert not PublishedMenu.objects.filter(source=MenuSource.PUBLISHED).exists()
