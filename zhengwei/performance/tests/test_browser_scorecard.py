"""In a real browser, end to end: the office computes last month's scorecard, disputes an item,
the contractor responds, the office confirms every item, the leader signs it off and opens the
acceptance record; the inspector reads the ranking, the dashboard and the evidence. The guide's
screenshots come from here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.testing.browser import screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    from zhengwei.demo import interactions, menu, orgs, performance, reports, wechat

    for module in (orgs, wechat, menu, reports, interactions, performance):
        module.seed(out=lambda message: None)


def _last_month() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def test_a_scorecard_from_computation_to_the_signed_acceptance_record(page, demo):
    from zhengwei.orgs.models import WeChatAccount
    from zhengwei.performance.models import Scorecard, ScorecardState

    account = WeChatAccount.objects.get(name="福建防汛")
    sign_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(f"{reverse('performance:scorecards')}?account={account.pk}")
    screenshot(page, "performance-scorecards")
    page.fill("#sc-month", _last_month())
    page.click("[data-testid=compute]")
    page.wait_for_selector("[data-testid=scorecard-items]")
    assert "福建防汛" in page.locator("h1").inner_text()
    page.fill("[data-testid=dispute-comment-original_ratio]", "11月有两篇转载稿标为原创，请核实。")
    page.click("[data-testid=dispute-original_ratio]")
    page.wait_for_selector("[data-testid=status-original_ratio]:has-text('有异议')")
    screenshot(page, "performance-scorecard-review")
    url = page.url.split("#")[0]

    sign_out(page)
    sign_in(page, "pm", DEMO_PASSWORD)
    page.goto(url)
    page.fill(
        "[data-testid=respond-comment-original_ratio]", "已核实：两篇为本单位原创改写，附底稿。"
    )
    page.click("[data-testid=respond-original_ratio]")
    page.wait_for_selector("[data-testid=status-original_ratio]:has-text('承办方已答复')")
    screenshot(page, "performance-scorecard-contractor")

    sign_out(page)
    sign_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(url)
    while page.locator("[data-testid^=confirm-]").count():
        page.locator("[data-testid^=confirm-]").first.click()
        page.wait_for_load_state()
    assert page.locator("[data-testid^=confirm-]").count() == 0

    sign_out(page)
    sign_in(page, "leader", DEMO_PASSWORD)
    page.goto(url)
    page.fill("#sign-comment", "同意按考核结果验收。")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signed-note]")
    assert page.locator("[data-testid=scorecard-state]").inner_text() == "已签认"
    screenshot(page, "performance-scorecard-signed")
    card = Scorecard.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
    assert card.state == ScorecardState.SIGNED
    pdf = page.request.get(reverse("performance:acceptance_pdf", args=[card.pk]))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


def test_the_inspector_ranks_the_accounts_and_follows_a_value_to_its_records(page, demo):
    sign_in(page, "inspector", DEMO_PASSWORD)
    page.goto(reverse("performance:overview"))
    rows = page.locator("[data-testid=overview-row]")
    assert rows.count() == 3
    # The account nearest a veto comes first: 八闽水情 has not posted for over a week.
    assert "八闽水情" in rows.first.inner_text()
    assert page.locator("[data-testid=alert-amber]").count() >= 1
    screenshot(page, "performance-overview")
    from zhengwei.orgs.models import WeChatAccount

    main = WeChatAccount.objects.get(name="福建防汛")
    page.goto(f"{reverse('performance:dashboard')}?account={main.pk}")
    page.wait_for_function(
        "() => document.getElementById('perf-dashboard').dataset.compared === '1'"
    )
    assert page.locator("#chart-cadence svg").count() == 1
    screenshot(page, "performance-dashboard")
    page.goto(reverse("performance:overview"))
    rows.first.locator("td a").nth(3).click()
    page.wait_for_selector("[data-testid=evidence-rows]")
    screenshot(page, "performance-evidence")


def test_the_office_keeps_the_filing_and_compares_a_change_of_model(page, demo):
    from zhengwei.orgs.models import WeChatAccount

    main = WeChatAccount.objects.get(name="福建防汛")
    coast = WeChatAccount.objects.get(name="福建山洪预警")
    sign_in(page, "reviewer", DEMO_PASSWORD)
    page.goto(f"{reverse('performance:records')}?account={main.pk}")
    assert "FJ-ZWXMT-2019-0007" in page.locator("[data-testid=filing-list]").inner_text()
    assert page.locator("[data-testid=reprint-list] tbody tr").count() == 3
    screenshot(page, "performance-records")

    page.goto(f"{reverse('performance:model_change')}?account={coast.pk}")
    assert "独立运作" in page.locator("[data-testid=model-changes]").inner_text()
    page.wait_for_function("() => window.zwPerf && window.zwPerf.drawn >= 8")
    assert page.locator("[data-testid=chart-msg_first_response_time] svg").count() == 1
    screenshot(page, "performance-model-change")
