"""A person's interface language is kept in their profile (issue #7): chosen on 我的设置, it is
theirs on every device they sign in on, ahead of the cookie and the browser; empty, the office's
language."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.services import user_set_language

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def office_language_afterwards(settings):
    # A request leaves its language active in the thread: the next tests expect the office's.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _lang(client) -> str:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_english_chosen_in_the_profile_follows_the_person_to_another_device(world, client_for):
    officer = world["duty_officer"]
    page = client_for(officer).post(reverse("access:security"), {"language": "en"}, follow=True)
    assert page.status_code == 200 and 'data-testid="language"' in page.content.decode()
    officer.refresh_from_db()
    assert officer.language == "en"
    assert AuditEntry.objects.filter(action="user.set_language", object_id=str(officer.pk)).exists()
    # A fresh browser, no language cookie, a Chinese Accept-Language: the profile decides.
    other = Client()
    other.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert _lang(other) == "en"


def test_the_profile_comes_before_an_old_language_cookie(world, client_for, settings):
    officer = world["duty_officer"]
    user_set_language(actor=officer, user=officer, language="zh-hans")
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _lang(client) == "zh-hans"


def test_without_a_choice_the_office_language_applies_and_only_offered_ones_are_kept(
    world, client_for
):
    officer = world["duty_officer"]
    assert officer.language == ""
    assert _lang(client_for(officer)) == "zh-hans"
    with pytest.raises(ValidationError):
        user_set_language(actor=officer, user=officer, language="fr")


def test_nobody_chooses_the_language_of_someone_else(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_set_language(actor=world["system_admin"], user=world["duty_officer"], language="en")
    world["duty_officer"].refresh_from_db()
    assert world["duty_officer"].language == ""
