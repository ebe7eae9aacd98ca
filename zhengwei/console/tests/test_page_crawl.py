"""Every page answers, for every persona: never a 500 (issue #7: 报灾统计 answered 500 to all).

The same crawl as the privacy test (zhengwei/testing/crawl.py): every URL pattern, as every
persona, and the links on those pages; a deliberate 403/404/405 is fine, a server error is not.
"""

from __future__ import annotations

import pytest

from zhengwei.console.tests.crawling import fake_wechat, personas, seed
from zhengwei.testing import crawl

__all__ = ["fake_wechat"]  # the fixture


@pytest.mark.django_db
def test_no_page_answers_a_server_error_for_any_persona(
    world, client, django_capture_on_commit_callbacks, fake_wechat
):
    context = seed(world, client, django_capture_on_commit_callbacks)
    urls = crawl.start_urls(context)
    client.raise_request_exception = False
    errors = []
    for label, user in personas(world).items():
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for visit in crawl.crawl(client, label, urls):
            if visit.status >= 500:
                errors.append(
                    f"{label}: {visit.url} answered {visit.status} (linked from {visit.via or 'the URL conf'})"
                )
    assert not errors, "\n".join(errors)


@pytest.mark.django_db
def test_the_disaster_counts_page_answers_for_a_report_without_a_city(world, client_for):
    from zhengwei.reports import services
    from zhengwei.reports.actors import Citizen

    services.report_receive(
        actor=Citizen(openid="oNoCity", proof="wechat"),
        account=world.account,
        channel="chat",
        hazard="waterlogging",
        description="积水",
    )
    for role in ("duty_officer", "editor", "auditor"):
        page = client_for(world[role]).get("/reports/counts/")
        assert page.status_code == 200, role
        assert "未知" in page.content.decode() or "Unknown" not in page.content.decode()


@pytest.mark.django_db
def test_every_navigation_link_answers_for_the_persona_it_is_shown_to(
    world, client, django_capture_on_commit_callbacks, fake_wechat
):
    """No link to a page that answers 403 (the installation superuser once had five)."""
    import re

    seed(world, client, django_capture_on_commit_callbacks)
    client.raise_request_exception = False
    refused = []
    for label, user in personas(world).items():
        if user is None:
            continue
        client.logout()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        home = client.get("/").content.decode()
        side = home.split('<aside class="zw-side">', 1)[1].split("</aside>", 1)[0]
        for url in re.findall(r'<a href="([^"]+)"', side):
            status = client.get(url).status_code
            if status != 200:
                refused.append(f"{label}: the navigation links to {url}, which answers {status}")
    assert not refused, "\n".join(refused)


@pytest.mark.django_db
def test_the_fresh_installations_superuser_is_offered_only_pages_that_answer(client):
    import re

    from zhengwei.orgs.models import User

    root = User.objects.create_superuser("root", password="Root@2026pass!")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    client.raise_request_exception = False
    home = client.get("/").content.decode()
    side = home.split('<aside class="zw-side">', 1)[1].split("</aside>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"', side)
    assert "/accounts/" in links
    assert [u for u in links if client.get(u).status_code != 200] == []
