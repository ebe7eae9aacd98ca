"""In a real browser: what each role sees of a citizen (docs/guide/privacy.md takes its
screenshots from here). The duty officer sees the number masked until the audited reveal; the
contractor's operator sees the inbox without openids; the auditor sees no photo."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.testing.browser import screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    from zhengwei.demo import interactions, menu, orgs, reports, wechat

    for module in (orgs, wechat, menu, reports, interactions):
        module.seed(out=lambda message: None)


def test_each_role_sees_what_the_privacy_guide_says(page, demo):
    from zhengwei.reports.models import Report

    trapped = (
        Report.objects.filter(reporter_phone_masked__startswith="138", photos__isnull=False)
        .distinct()
        .get()
    )
    detail = reverse("reports:detail", args=[trapped.ticket])

    sign_in(page, "duty", DEMO_PASSWORD)
    page.goto(detail)
    assert "13805912345" not in page.content()
    assert page.locator("[data-testid=photo]").count() >= 1
    screenshot(page, "privacy-duty-masked")
    page.click("[data-testid=reveal-phone]")
    page.wait_for_selector("#phone:has-text('13805912345')")
    screenshot(page, "privacy-duty-revealed")

    sign_out(page)
    sign_in(page, "operator", DEMO_PASSWORD)
    page.goto(reverse("interactions:inbox"))
    page.wait_for_selector("[data-testid=conversation-row]")
    assert "oDEMOcitizen" not in page.content()
    screenshot(page, "privacy-contractor-inbox")

    sign_out(page)
    sign_in(page, "auditor", DEMO_PASSWORD)
    page.goto(detail)
    assert trapped.ticket in page.locator("h1").inner_text()
    assert page.locator("[data-testid=photo]").count() == 0
    assert page.locator("[data-testid=reveal-phone]").count() == 0
    screenshot(page, "privacy-auditor-report")
