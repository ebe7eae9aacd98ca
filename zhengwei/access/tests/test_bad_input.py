"""Forged forms, unknown addresses and missing permissions: a Chinese page, and an audit entry."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("access:login")
CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_error_page(response) -> None:
    assert 'data-testid="error-page"' in response.content.decode(), "not the console's error page"


def heading(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "the page has no heading"
    return match.group(1).strip()


def only_entry(action: str) -> AuditEntry:
    found = list(AuditEntry.objects.filter(action=action))
    assert len(found) == 1, [e.action for e in AuditEntry.objects.all()]
    return found[0]


# --- CSRF ------------------------------------------------------------------------------


def test_a_sign_in_form_without_its_security_token_is_refused_in_chinese(world):
    browser = Client(enforce_csrf_checks=True)
    person = world["duty_officer"]
    response = browser.post(SIGN_IN, {"username": person.username, "password": PASSWORD})
    assert response.status_code == 403
    assert CJK.search(heading(response)), heading(response)
    assert_error_page(response)
    entry = only_entry("http.csrf_rejected")
    assert entry.object_repr == SIGN_IN
    assert entry.outcome == "denied"
    assert entry.ip == "127.0.0.1"
    # Nothing typed into the form reaches the log, and nobody was signed in.
    assert PASSWORD not in str(entry.__dict__)
    assert not AuditEntry.objects.filter(action__startswith="auth.").exists()
    assert browser.get(reverse("console:home")).status_code == 302


def test_a_forged_security_token_is_refused_like_a_missing_one(world):
    browser = Client(enforce_csrf_checks=True)
    browser.get(SIGN_IN)  # sets the real CSRF cookie
    assert "csrftoken" in browser.cookies
    person = world["duty_officer"]
    response = browser.post(
        SIGN_IN,
        {"username": person.username, "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64},
    )
    assert response.status_code == 403
    assert CJK.search(heading(response))
    only_entry("http.csrf_rejected")


def test_the_real_security_token_is_accepted(world):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(SIGN_IN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    person = world["duty_officer"]
    response = browser.post(
        SIGN_IN, {"username": person.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="http.csrf_rejected").exists()


def test_a_signed_in_persons_forged_post_is_audited_under_their_name(world):
    browser = Client(enforce_csrf_checks=True)
    person = world["duty_officer"]
    browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    response = browser.post(reverse("access:security"), {"remove_otp": "1"})
    assert response.status_code == 403
    entry = only_entry("http.csrf_rejected")
    assert entry.actor == person


# --- Unknown addresses -----------------------------------------------------------------


def test_an_unknown_address_gets_the_chinese_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert CJK.search(heading(response)), heading(response)
    assert_error_page(response)


def test_an_unknown_address_looks_the_same_signed_in(client_for, world):
    response = client_for(world["editor"]).get("/no-such-page/")
    assert response.status_code == 404
    assert CJK.search(heading(response))


# --- Missing permissions ---------------------------------------------------------------


def test_a_page_the_roles_do_not_allow_gets_the_chinese_forbidden_page_and_is_audited(
    client_for, world
):
    no_role = UserFactory(organisation=world.office)
    response = client_for(no_role).get(reverse("console:home"))
    assert response.status_code == 403
    assert CJK.search(heading(response)), heading(response)
    assert_error_page(response)
    entry = only_entry("http.forbidden")
    assert entry.actor == no_role
    assert entry.object_repr == reverse("console:home")
    assert entry.outcome == "denied"


def test_the_forbidden_page_tells_nothing_about_what_is_behind_it(client_for, world):
    no_role = UserFactory(organisation=world.office)
    response = client_for(no_role).get(reverse("console:home"))
    html = response.content.decode()
    assert world.account.name not in html
    assert world.account.app_id not in html
