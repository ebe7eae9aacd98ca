"""The demo's custom menu reaches the simulator the way a contractor's menu always reaches WeChat
(issue #7): the operator drafts it, the office reviewer and leader approve it, the last approval
publishes it over HTTP (menu/create). After ``./run`` the phone shows it, not the fallback."""

import pytest

from zhengwei.demo import menu, orgs, wechat
from zhengwei.orgs.models import Role
from zhengwei.simulator.models import SimAccount, SimFollower
from zhengwei.simulator.seed import seed as sim_seed
from zhengwei.wechat.inbound import keys
from zhengwei.wechat.inbound.models import ChangeKind, ChangeState, ContentChange
from zhengwei.wechat.outbound.models import PublishedMenu

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def _seed_demo() -> list[str]:
    said: list[str] = []
    for module in (orgs, wechat, menu):
        module.seed(out=said.append)
    return said


def test_seeding_the_demo_publishes_its_menu_through_the_offices_approval(
    live_server, settings, client
):
    settings.SIMULATOR_ENABLED = True
    settings.WECHAT_API_BASE = f"{live_server.url}/sim/api"
    settings.WECHAT_TOKEN_MODE = "stable"
    keys.forget_account()
    sim_seed()

    _seed_demo()

    change = ContentChange.objects.get(kind=ChangeKind.MENU)
    assert change.state == ChangeState.APPLIED and change.payload == menu.MENU
    assert change.drafted_by.username == "operator"
    assert [(r.role, r.reviewer.username) for r in change.reviews.order_by("level")] == [
        (Role.OFFICE_REVIEWER, "reviewer"),
        (Role.OFFICE_LEADER, "leader"),
    ]
    assert PublishedMenu.objects.get().json == menu.MENU
    assert SimAccount.objects.get().menu == menu.MENU

    citizen = SimFollower.objects.first()
    page = client.get(f"/sim/phone/{citizen.openid}/").content.decode()
    assert "我报灾情" in page and "汛情实况" in page and "拍照上报" in page
    assert "平台尚未创建自定义菜单" not in page

    # Seeding again (a second ./run) publishes nothing more.
    assert "demo: custom menu already published" in _seed_demo()
    assert ContentChange.objects.filter(kind=ChangeKind.MENU).count() == 1


def test_a_menu_wechat_could_not_take_is_left_failed_and_the_next_seeding_publishes_it(
    live_server, settings
):
    # settings_test points WeChat at a closed port: the approval stands, the publish fails.
    keys.forget_account()
    sim_seed()
    said = _seed_demo()
    failed = ContentChange.objects.get(kind=ChangeKind.MENU)
    assert failed.state == ChangeState.FAILED and failed.error
    assert any("not published" in line for line in said)
    assert not PublishedMenu.objects.exists() and SimAccount.objects.get().menu is None

    settings.WECHAT_API_BASE = f"{live_server.url}/sim/api"
    settings.WECHAT_TOKEN_MODE = "stable"
    _seed_demo()
    assert SimAccount.objects.get().menu == menu.MENU
    assert ContentChange.objects.filter(kind=ChangeKind.MENU).latest("pk").state == (
        ChangeState.APPLIED
    )
