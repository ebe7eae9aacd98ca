"""In a real browser: the operator's menu editor and the account pages, as the guide shows them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwei.demo import menu, orgs, wechat
from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.simulator.seed import seed as sim_seed
from zhengwei.testing.browser import screenshot, sign_in, simulator_as_wechat
from zhengwei.wechat.inbound import keys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]


@pytest.fixture
def demo(settings, live_server):
    # The demo's menu reaches WeChat only through the office's approval, which publishes it:
    # here to the simulator inside the live server, as ./run does.
    simulator_as_wechat(settings, live_server)
    keys.forget_account()
    sim_seed()
    for module in (orgs, wechat, menu):
        module.seed(out=lambda message: None)


def test_the_operator_sees_the_published_menu_and_a_phone_preview(page, demo):
    sign_in(page, "operator", DEMO_PASSWORD)
    page.goto(reverse("wechat_outbound:menu"))
    assert "我报灾情" in page.locator("main").inner_text()
    screenshot(page, "wechat-menu")


def test_the_operator_sees_keyword_and_menu_replies(page, demo):
    sign_in(page, "operator", DEMO_PASSWORD)
    page.goto(reverse("wechat_inbound:replies"))
    assert "帮助" in page.locator("main").inner_text()
    screenshot(page, "wechat-replies")


def test_the_auditor_reads_the_api_call_log_and_the_statistics(page, demo):
    sign_in(page, "auditor", DEMO_PASSWORD)
    assert page.goto(reverse("wechat_outbound:api_log")).status == 200
    screenshot(page, "wechat-api-calls")
    assert page.goto(reverse("wechat_outbound:stats")).status == 200
    screenshot(page, "wechat-stats")
