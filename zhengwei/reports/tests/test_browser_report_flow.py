"""In a real browser: a citizen sends a report from the mobile form, the duty officer takes it up.

The screenshots taken here are the ones docs/guide/reports.md shows.
"""

from __future__ import annotations

import pytest

from zhengwei.demo import constants as c
from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.reports.models import Report
from zhengwei.reports.tests.helpers import jpeg
from zhengwei.testing.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo():
    from zhengwei.demo import orgs, reports

    orgs.seed(out=lambda message: None)
    reports.seed(out=lambda message: None)


def test_a_citizen_reports_from_the_phone_and_the_duty_officer_takes_it_up(demo, page, tmp_path):
    photo = tmp_path / "flood.jpg"
    photo.write_bytes(jpeg(size=(400, 300)))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/h5/report/?account={c.ORIGINAL_ID}")
    page.wait_for_selector(".leaflet-interactive")  # the offline county outlines are drawn
    page.click("label[for=hz-waterlogging]")
    page.mouse.click(*_map_centre(page))
    assert page.input_value("#lat") and page.input_value("#datum") == "wgs84"
    page.fill("#description", "桥下积水齐腰深，两辆车熄火。")
    page.set_input_files("#photos", str(photo))
    page.fill("#phone", "13805911111")
    screenshot(page, "reports-h5-form")
    page.click("#submit")
    ticket = page.get_by_test_id("ticket").inner_text()
    screenshot(page, "reports-h5-done")
    report = Report.objects.get(ticket=ticket)
    assert report.channel == "h5" and report.photos.count() == 1

    page.get_by_test_id("status-link").click()
    assert page.get_by_test_id("state").inner_text() == "已接收"

    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, "duty", DEMO_PASSWORD)
    page.goto("/reports/")
    row = page.locator(f'[data-testid=report-row][data-ticket="{ticket}"]')
    assert "138****1111" not in row.inner_text()
    screenshot(page, "reports-list")
    row.locator("a").first.click()
    assert page.get_by_test_id("phone-masked").inner_text() == "138****1111"
    page.get_by_test_id("reveal-phone").click()
    assert page.get_by_test_id("phone-full").inner_text() == "13805911111"
    page.locator("[data-testid=action-triage] select[name=priority]").select_option("P1")
    with page.expect_navigation():
        page.locator("[data-testid=action-triage] button").click()
    unit = page.locator("[data-testid=action-dispatch] select[name=unit]")
    unit.select_option(label=f"{c.UNIT_NAME} (闽侯县)")
    with page.expect_navigation():
        page.locator("[data-testid=action-dispatch] button").click()
    assert page.get_by_test_id("state").inner_text() == "已派单"
    screenshot(page, "reports-detail")
    report.refresh_from_db()
    assert report.assigned_unit.name == c.UNIT_NAME


def _map_centre(page) -> tuple[float, float]:
    box = page.locator("#map").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
