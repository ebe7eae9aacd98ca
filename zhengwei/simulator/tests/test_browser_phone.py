"""In a real browser: a person creates a citizen, writes to 福建防汛, reports a location through
the 「我报灾情」 menu and sees the passive reply and, by polling, a customer-service message
appear on the phone. Its screenshot is the guide's (GUIDE_SCREENSHOTS=1)."""

import pytest

from zhengwei.simulator.tests.helpers import Receiver, WechatpyCallback
from zhengwei.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture
def platform(account):
    callback = WechatpyCallback(account)
    server = Receiver(callback)
    account.callback_url = f"{server.url}/wechat/callback/{account.original_id}/"
    account.save()
    yield callback
    server.close()


def test_a_person_tries_the_whole_loop_on_the_phone_page(page, platform, api):
    page.goto("/sim/")
    page.fill("input[name=nickname]", "林女士")
    page.click("[data-testid=new-citizen]")
    page.wait_for_url("**/sim/phone/**")
    thread = page.locator("[data-testid=thread]")
    assert "你已关注「福建防汛」" in thread.inner_text()

    page.click("button:has-text('我报灾情')")
    page.click("button:has-text('发送位置')")
    page.select_option("select[name=place]", "1")
    page.click("#panel-location button:has-text('发送')")
    page.wait_for_selector(".msg.me[data-msgtype=location]")

    page.click("[data-toggle-bar] >> visible=true")
    page.fill("[data-testid=text-input]", "昙石山路段积水约半米，有车辆被困")
    page.click("[data-testid=send]")
    page.wait_for_selector("text=收到：昙石山路段积水约半米，有车辆被困")

    # The duty officer answers through the customer-service API: the page polls it in.
    openid = page.locator("[data-testid=openid]").inner_text()
    answer = "已收到您的报告（编号 FJ-0001），闽侯县防办已派员前往，请注意安全。"
    sent = api.post(
        "cgi-bin/message/custom/send",
        {"touser": openid, "msgtype": "text", "text": {"content": answer}},
    )
    assert sent["errcode"] == 0
    page.wait_for_selector(f"text={answer}", timeout=5000)
    assert "客服消息" in thread.inner_text()
    screenshot(page, "simulator-phone")

    kinds = [(m.type, getattr(m, "event", None)) for m in platform.messages]
    assert kinds == [
        ("event", "subscribe"),
        ("event", "location_select"),
        ("location", None),
        ("text", None),
    ]
