"""The sidebar and home page offer the management pages only to those who may use them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_system_administrator_finds_every_management_page_on_the_home_page(world, client_for):
    html = client_for(world["system_admin"]).get(reverse("console:home")).content.decode()
    for name in [
        "console:organisation_list",
        "console:account_list",
        "console:person_list",
        "console:role_rules",
        "console:roster",
    ]:
        assert f'data-testid="cap-{name}"' in html
    # 三员分立 (issue #9): the audit log is the audit administrator's, not the system's.
    assert 'data-testid="cap-audit:list"' not in html


def test_an_editor_is_offered_none_of_them(world, client_for):
    html = client_for(world["editor"]).get(reverse("console:home")).content.decode()
    for name in ["organisation_list", "account_list", "person_list", "roster", "audit:list"]:
        assert name not in html


def test_a_duty_officer_is_offered_the_roster_only(world, client_for):
    html = client_for(world["duty_officer"]).get(reverse("console:home")).content.decode()
    assert 'data-testid="cap-console:roster"' in html
    assert 'data-testid="cap-console:person_list"' not in html
    assert "值班表" in html
