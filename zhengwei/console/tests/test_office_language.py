"""The console speaks the office's language whatever the browser prefers (issue #7); a person
who chooses English gets English."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_gets_the_office_language(world, client_for):
    client = client_for(world["duty_officer"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html


@pytest.mark.django_db
def test_a_person_who_chooses_english_gets_english(world, client_for, settings):
    client = client_for(world["duty_officer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in html
