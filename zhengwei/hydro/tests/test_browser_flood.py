"""In a real browser: the 「汛情实况」 pages a citizen opens from the menu (typhoon track, rain,
water levels and reservoirs), the daily briefing a duty officer generates, and the simulator's
phone getting the data answers to the menu, to 雨情 / 台风 and to a county's name through the real
callback of the live server. The screenshots are the ones docs/guide/flood.md shows
(GUIDE_SCREENSHOTS=1)."""

from __future__ import annotations

import pytest

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.testing.browser import screenshot, sign_in, simulator_as_wechat

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]
PHONE = {"width": 430, "height": 860}


@pytest.fixture
def flood_stage(live_server, settings):
    from zhengwei.demo import hydro, orgs
    from zhengwei.hydro.services import snapshot
    from zhengwei.wechat.inbound import keys, replies

    settings.PUBLIC_URL = live_server.url
    keys.forget_account()
    replies.forget_rules()
    orgs.seed(out=lambda m: None)
    hydro.seed(out=lambda m: None)
    # The cache may hold another test's picture (Redis outlives a test's database).
    snapshot.snapshot_rebuild()
    yield live_server


def _phone_tab(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(20_000)
    return context.new_page()


def test_the_live_pages_show_the_track_rain_and_water_on_a_phone(flood_stage, browser):
    tab = _phone_tab(browser, flood_stage)
    tab.goto("/flood/")
    tile = tab.get_by_test_id("typhoon-tile").filter(has_text="纳沙")
    screenshot(tab, "flood-index")

    tile.click()
    tab.wait_for_url("**/flood/typhoon/**")
    tab.wait_for_selector("#track-map[data-ready='1'][data-points]")
    assert int(tab.locator("#track-map").get_attribute("data-points")) >= 6
    assert "纳沙" in tab.get_by_test_id("typhoon-name").inner_text()
    assert "07-30 18:00" in tab.get_by_test_id("track-table").inner_text()  # inland, over 三明
    screenshot(tab, "flood-typhoon")

    tab.goto("/flood/rain/")
    tab.wait_for_selector("#live-map[data-ready='1'][data-markers]")
    assert int(tab.locator("#live-map").get_attribute("data-markers")) > 10
    rain = tab.get_by_test_id("rain-table").inner_text()
    assert "连江下宫" in rain and "507.7" in rain and "特大暴雨" in rain
    screenshot(tab, "flood-rain")

    tab.goto("/flood/water/")
    tab.wait_for_selector("#live-map[data-ready='1'][data-markers]")
    assert "超警戒" in tab.get_by_test_id("river-table").inner_text()
    tab.get_by_test_id("reservoir-table").scroll_into_view_if_needed()
    assert "超汛限" in tab.get_by_test_id("reservoir-table").inner_text()
    screenshot(tab, "flood-water")
    tab.context.close()


def test_a_duty_officer_generates_the_daily_briefing_with_its_charts(flood_stage, page):
    sign_in(page, "duty", DEMO_PASSWORD)
    page.goto("/hydro/briefings/")
    page.fill("#start", "2017-07-31T06:00")
    page.fill("#end", "2017-08-01T06:00")
    page.get_by_test_id("briefing-form").get_by_role("button").click()
    page.wait_for_url("**/hydro/briefings/*/")
    body = page.get_by_test_id("briefing-body")
    assert "507.7" in body.inner_text() and "连江" in body.inner_text()
    assert page.get_by_test_id("briefing-status").inner_text() == "草稿"
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-testid=briefing-body] img'))"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.locator("[data-testid=briefing-body] img").count() >= 4
    screenshot(page, "flood-briefing")


@pytest.fixture
def phone_stage(flood_stage, settings):
    from zhengwei.demo import interactions, reports
    from zhengwei.simulator.deliveries import dispatcher
    from zhengwei.simulator.seed import seed as sim_seed

    simulator_as_wechat(settings, flood_stage)
    reports.seed(out=lambda m: None)
    interactions.seed(out=lambda m: None)
    sim_seed()
    yield flood_stage
    dispatcher.stop()


def _send(tab, button, action: str) -> None:
    with tab.expect_response(lambda r: f"/{action}/" in r.url and r.request.method == "POST"):
        button.click()
    tab.wait_for_timeout(150)  # htmx settles the swap and closes the pop-ups


def _say(tab, text: str) -> None:
    tab.get_by_test_id("text-input").fill(text)
    _send(tab, tab.get_by_test_id("send"), "text")


def test_the_phone_gets_data_answers_from_the_menu_keywords_and_a_county_name(phone_stage, browser):
    from zhengwei.interactions.models import InboxItem
    from zhengwei.simulator.citizen import Citizen

    citizen = Citizen.new(nickname="陈先生")
    tab = _phone_tab(browser, phone_stage)
    tab.goto(f"/sim/phone/{citizen.openid}/")
    tab.get_by_role("button", name="≡ 汛情实况").click()
    _send(
        tab, tab.locator(".menu-pop:not([hidden])").get_by_role("button", name="雨情水情"), "menu"
    )
    tab.locator(".msg").filter(has_text="【雨情】").last.wait_for()
    assert "/flood/water/" in tab.get_by_test_id("thread").inner_text()

    tab.locator("[data-toggle-bar]").first.click()
    _say(tab, "台风")
    tab.locator(".msg").filter(has_text="【台风】").last.wait_for()
    _say(tab, "雨情")
    tab.locator(".msg").filter(has_text="连江下宫 507.7毫米").last.wait_for()
    _say(tab, "永泰")
    answer = tab.locator(".msg").filter(has_text="永泰县，截至").last
    answer.wait_for()
    assert "雨量站" in answer.inner_text()
    screenshot(tab, "flood-phone")
    # Answered in chat, so nothing waits for a person in the 互动 inbox.
    mine = InboxItem.objects.filter(conversation__openid=citizen.openid)
    assert not mine.exists()
    _say(tab, "我家楼下的排水沟堵了，水漫到路上，谁来处理一下")
    tab.wait_for_timeout(500)
    assert mine.get().text == "我家楼下的排水沟堵了，水漫到路上，谁来处理一下"
    tab.context.close()
