"""In a real browser: each role signs in to the 福建防汛 demo and sees what it may do, nothing more.

The screenshots taken here are the ones docs/guide/ shows.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.orgs.models import User
from zhengwei.testing.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the role rules that
    # migrations seed, which the transactional flush would otherwise remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CJK = re.compile(r"[\u4e00-\u9fff]")
# Pages only administrators (and, for the audit log, auditors) may open.
ADMIN_PAGES = [
    "console:organisation_list",
    "console:account_list",
    "console:person_list",
    "console:role_rules",
]
AUDIT_PAGE = "audit:list"


@pytest.fixture
def demo():
    from zhengwei.demo.orgs import seed

    return seed(out=lambda message: None)


def role_badges(page) -> list[str]:
    return [t.strip() for t in page.get_by_test_id("role-badge").all_inner_texts()]


def capabilities(page) -> set[str]:
    cards = page.locator('[data-testid^="cap-"]')
    return {cards.nth(i).get_attribute("data-testid")[4:] for i in range(cards.count())}


def sidebar_links(page) -> set[str]:
    return set(page.locator("aside.zw-side a").evaluate_all("els => els.map(e => e.pathname)"))


def assert_forbidden(page, url_name: str) -> None:
    response = page.goto(reverse(url_name))
    assert response.status == 403, f"{url_name} answered {response.status}"
    error = page.get_by_test_id("error-page")
    assert error.is_visible()
    assert CJK.search(page.locator("h1").inner_text())


def test_the_sign_in_page_is_in_chinese(page, demo):
    page.goto("/signin/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert CJK.search(page.locator("h1").inner_text())
    assert page.locator("#id_username").is_visible()
    screenshot(page, "sign-in")


def test_a_wrong_password_shows_the_warning_and_five_lock_the_name(page, demo):
    page.goto("/signin/")
    for attempt in range(5):
        page.fill("#id_username", "duty")
        page.fill("#id_password", f"wrong-{attempt}")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if attempt == 0:
            assert page.get_by_test_id("signin-error").is_visible()
            screenshot(page, "sign-in-wrong-password")
    assert "15" in page.get_by_test_id("signin-error").inner_text()
    screenshot(page, "sign-in-locked")


def test_the_duty_officer_sees_the_duty_role_and_no_administration(page, demo):
    sign_in(page, "duty", DEMO_PASSWORD)
    assert page.url.endswith(reverse("console:home"))
    assert "王值班" in page.get_by_test_id("whoami").inner_text()
    assert role_badges(page) == ["值班员"]
    caps = capabilities(page)
    assert "console:roster" in caps
    assert not caps & {*ADMIN_PAGES, AUDIT_PAGE}
    assert reverse(AUDIT_PAGE) not in sidebar_links(page)
    screenshot(page, "home-duty-officer")
    for name in ["console:person_list", AUDIT_PAGE]:
        assert_forbidden(page, name)


def test_the_contractor_editor_sees_the_editor_role_and_cannot_open_people_or_audit(page, demo):
    sign_in(page, "editor", DEMO_PASSWORD)
    assert "李编辑" in page.get_by_test_id("whoami").inner_text()
    assert role_badges(page) == ["编辑"]
    caps = capabilities(page)
    assert not caps & {*ADMIN_PAGES, AUDIT_PAGE, "console:roster"}
    links = sidebar_links(page)
    assert not links & {reverse(name) for name in [*ADMIN_PAGES, AUDIT_PAGE]}
    screenshot(page, "home-editor")
    assert_forbidden(page, "console:person_list")
    screenshot(page, "forbidden")
    assert_forbidden(page, AUDIT_PAGE)


def test_the_system_administrator_reaches_every_management_page(page, demo):
    sign_in(page, "admin", DEMO_PASSWORD)
    assert role_badges(page) == ["系统管理员"]
    assert set(ADMIN_PAGES) <= capabilities(page)
    screenshot(page, "home-admin")
    shots = {
        "console:organisation_list": "admin-organisations",
        "console:account_list": "admin-accounts",
        "console:person_list": "admin-people",
        "console:role_rules": "admin-role-rules",
        "console:roster": "admin-roster",
    }
    for name, shot in shots.items():
        response = page.goto(reverse(name))
        assert response.status == 200, f"{name} answered {response.status}"
        screenshot(page, shot)
    page.goto(reverse("console:account_detail", args=[demo.pk]))
    assert demo.name in page.content()
    screenshot(page, "admin-account-detail")
    duty = User.objects.get(username="duty")
    page.goto(reverse("console:person_detail", args=[duty.pk]))
    assert page.get_by_test_id("grants").is_visible()
    screenshot(page, "admin-person-detail")
    # 三员分立: the audit administrator alone reads the log the administrator's actions are in.
    page.goto(reverse("console:home"))
    assert AUDIT_PAGE not in capabilities(page)
    assert_forbidden(page, AUDIT_PAGE)


def test_the_auditor_searches_the_audit_log(page, demo):
    sign_in(page, "auditor", DEMO_PASSWORD)
    assert AUDIT_PAGE in capabilities(page)
    response = page.goto(reverse(AUDIT_PAGE))
    assert response.status == 200
    # The demo was built through the services, so its changes are in the log.
    assert "role.grant" in page.content()
    screenshot(page, "audit-log")
    page.fill("#id_action", "role.grant")
    page.press("#id_action", "Enter")
    page.wait_for_url(re.compile(r"action=role\.grant"))
    page.locator('[data-testid="audit-entries"] tbody tr a').first.click()
    page.wait_for_url(re.compile(r"/audit/\d+/$"))
    assert page.get_by_test_id("after").is_visible()
    screenshot(page, "audit-entry")


def test_two_factor_set_up_shows_a_scannable_code(page, demo):
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto(reverse("access:security"))
    assert page.get_by_test_id("otp-qr").locator("svg").is_visible()
    screenshot(page, "my-security")
