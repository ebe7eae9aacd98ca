"""In a real browser, end to end (issue 4, "Done when"): a citizen reports from the simulator's
phone page through the real callback of the live server; the duty console, open as the duty
officer, shows the report without reload (with its alert); the officer dispatches it and replies;
the citizen's phone receives the reply.

The simulator is mounted at /sim/ of the same live server and the outbound client points at its
API, so every WeChat call in this test is real HTTP, signed and encrypted as in production.
The screenshots taken here are the ones docs/guide/duty-console.md shows.
"""

from __future__ import annotations

import re

import pytest

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.reports.models import Report, State
from zhengwei.testing.browser import screenshot, sign_in, simulator_as_wechat

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]
TICKET = re.compile(r"[A-Z]{2}\d{8}-\d{4}")


@pytest.fixture
def stage(live_server, settings, tmp_path):
    from zhengwei.demo import interactions, orgs, reports
    from zhengwei.simulator.deliveries import dispatcher
    from zhengwei.simulator.seed import seed as sim_seed
    from zhengwei.wechat.inbound import keys, replies

    settings.MEDIA_ROOT = tmp_path / "media"
    simulator_as_wechat(settings, live_server)
    settings.PUBLIC_URL = live_server.url
    keys.forget_account()
    replies.forget_rules()
    orgs.seed(out=lambda m: None)
    reports.seed(out=lambda m: None)
    interactions.seed(out=lambda m: None)
    sim_seed()
    yield live_server
    dispatcher.stop()


def _phone_page(browser, live_server, openid):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 430, "height": 860},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.goto(f"/sim/phone/{openid}/")
    return tab


def _menu(tab, top: str, item: str) -> None:
    tab.get_by_role("button", name=top).click()
    tab.locator(".menu-pop:not([hidden])").get_by_role("button", name=item).click()


def _send(tab, button, action: str) -> None:
    """Press a send button and wait until the phone has delivered it (and redrawn the thread)."""
    with tab.expect_response(lambda r: f"/{action}/" in r.url and r.request.method == "POST"):
        button.click()
    tab.wait_for_timeout(150)  # htmx settles the swap and closes the pop-ups


def test_a_report_from_the_phone_reaches_the_console_live_and_the_reply_reaches_the_phone(
    stage, page, browser
):
    from zhengwei.simulator.citizen import Citizen

    citizen = Citizen.new(nickname="林女士")

    # The duty officer has the console open, with sound and notifications on.
    page.context.grant_permissions(["notifications"], origin=stage.url)
    sign_in(page, "duty", DEMO_PASSWORD)
    page.goto("/duty/")
    page.get_by_test_id("enable-alerts").click()
    page.evaluate("window.__sameDocument = true")
    before = page.evaluate("window.zwDuty.alerts")

    # The citizen reports from the phone: 我报灾情 → instructions, location, photo, text, 确认.
    phone = _phone_page(browser, stage, citizen.openid)
    phone.get_by_role("button", name="≡ 我报灾情").click()
    _send(
        phone,
        phone.locator(".menu-pop:not([hidden])").get_by_role("button", name="报灾须知"),
        "menu",
    )
    phone.wait_for_selector("text=/h5/report/")  # the passive instructions, with the form link
    _menu(phone, "≡ 我报灾情", "发送位置")
    phone.locator("#panel-location select[name=place]").select_option("1")  # 闽侯县甘蔗街道
    _send(phone, phone.locator("#panel-location button.btn-success"), "location")
    _menu(phone, "≡ 我报灾情", "拍照上报")
    # No file chosen: the simulator sends its sample photo of a flooded street.
    _send(phone, phone.locator("#panel-photo button.btn-success"), "photo")
    phone.locator("[data-toggle-bar]").first.click()
    phone.get_by_test_id("text-input").fill("甘蔗街道桥下积水齐腰深，两辆车熄火。")
    _send(phone, phone.get_by_test_id("send"), "text")
    phone.get_by_test_id("text-input").fill("确认")
    _send(phone, phone.get_by_test_id("send"), "text")

    # The ticket number comes back at once.
    bubble = phone.locator('[data-kind="custom"]').filter(has_text=TICKET).first
    bubble.wait_for()
    ticket = TICKET.search(bubble.inner_text()).group(0)
    report = Report.objects.get(ticket=ticket)
    assert report.channel == "chat" and report.county_name == "闽侯县"
    screenshot(phone, "duty-phone-report")

    # … and the report shows on the open console without a reload, with its alert.
    card = page.locator(f'[data-testid=report-card][data-ticket="{ticket}"]')
    card.wait_for(timeout=5_000)
    assert page.evaluate("window.__sameDocument") is True
    page.wait_for_function(f"() => window.zwDuty.alerts > {before}")
    assert page.evaluate("window.zwDuty.beeps") >= 1
    assert "甘蔗街道桥下积水齐腰深" in card.inner_text()
    card.locator("img").wait_for()  # the photo, fetched from WeChat after confirmation
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.duty-thumb img'))"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    report.refresh_from_db()
    assert report.first_seen_by.username == "duty"  # seen first by the office
    screenshot(page, "duty-console")

    # One click dispatches it (by the county routing rule), one more replies to the citizen.
    card.get_by_test_id("dispatch").click()
    page.locator(f'[data-ticket="{ticket}"] [data-testid=state]').filter(
        has_text="已派单"
    ).wait_for()
    report.refresh_from_db()
    assert report.state == State.DISPATCHED and report.first_ack_at is not None
    card.get_by_test_id("reply-text").fill("抢险队已出发，预计20分钟到达，请勿涉水。")
    card.get_by_test_id("reply").click()
    page.locator(f'[data-ticket="{ticket}"] [role=status]').wait_for()

    # The citizen's phone receives the dispatch notice and the reply.
    phone.locator('[data-kind="custom"]').filter(has_text="抢险队已出发").wait_for()
    assert phone.locator('[data-kind="custom"]').filter(has_text="闽侯县").count() >= 1
    screenshot(phone, "duty-phone-reply")
    phone.context.close()

    # The map and the dashboard, for the guide.
    page.goto("/duty/map/")
    page.wait_for_function("() => window.zwMap && window.zwMap.loaded > 0 && window.zwMap.counties")
    assert page.evaluate("window.zwMap.markers") >= 1
    page.locator(".leaflet-marker-icon").first.click()
    page.wait_for_timeout(300)
    screenshot(page, "duty-map")
    page.goto("/duty/metrics/")
    page.wait_for_function("() => window.zwMetrics && window.zwMetrics.ready")
    assert page.locator("[data-testid=chart-headline] svg").count() == 1
    screenshot(page, "duty-metrics")
    page.goto("/inbox/")
    screenshot(page, "interactions-inbox")
