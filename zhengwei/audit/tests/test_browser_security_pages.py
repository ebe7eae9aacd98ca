"""In a real browser, the pages docs/guide/security.md describes, with the screenshots it shows:
the security administrator's two-factor set-up and purge report, the refusal of a second
administrator role (三员分立), and the audit log closed to the system administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwei.audit.services import retention_purge
from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.orgs.models import Role, User
from zhengwei.testing.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo():
    from zhengwei.demo.orgs import seed

    account = seed(out=lambda message: None)
    retention_purge()
    return account


def test_the_security_administrator_sets_up_two_factor_and_reads_the_purge_report(page, demo):
    sign_in(page, "security", DEMO_PASSWORD)
    page.goto(reverse("access:security"))
    assert page.get_by_test_id("otp-qr").locator("svg").is_visible()
    screenshot(page, "security-two-factor-setup")
    page.goto(reverse("audit:purges"))
    rows = page.get_by_test_id("purge-row")
    assert rows.count() >= 6
    assert "聊天报灾草稿" in page.get_by_test_id("purge-runs").inner_text()
    screenshot(page, "security-purge-report")


def test_a_second_administrator_role_is_refused_with_the_reason(page, demo):
    sign_in(page, "admin", DEMO_PASSWORD)
    auditor = User.objects.get(username="auditor")
    page.goto(reverse("console:person_detail", args=[auditor.pk]))
    page.select_option("#id_role", Role.SYSTEM_ADMIN)
    page.get_by_role("button", name="授予").click()
    page.wait_for_load_state()
    assert "三员分立" in page.content()
    screenshot(page, "security-role-separation")
    response = page.goto(reverse("audit:list"))
    assert response.status == 403
    assert page.get_by_test_id("error-page").is_visible()
