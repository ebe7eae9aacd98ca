"""Citizens' personal data never reaches a persona that may not see it, on any page (issue #7).

Citizens with known marker values (phone, 身份证 number, name, openid, exact coordinates, a photo)
write to the account through the real WeChat callback and report through the real services; then
every persona visits every URL the URL conf, the ``url_params`` of zhengwei/testing/crawl.py and
the links on those pages produce. New apps' pages are covered without new test code.
"""

from __future__ import annotations

import pytest

from zhengwei.access.policy import Action, may
from zhengwei.console.tests.crawling import (
    ALWAYS_HIDDEN,
    PERSONAL,
    PHOTO_COLOUR,
    fake_wechat,
    personas,
    seed,
)
from zhengwei.testing import crawl

__all__ = ["fake_wechat"]  # the fixture


def test_every_url_pattern_with_parameters_is_crawled_or_excused():
    problems = crawl.missing_entries()
    assert not problems, "\n".join(problems)


def test_a_pattern_nobody_described_fails_with_what_to_add():
    pattern = crawl.Pattern(name="nowhere:article", route="/nowhere/<int:pk>/", params=("pk",))
    (problem,) = crawl.missing_entries([pattern])
    assert "url_params" in problem and "NOT_CRAWLED" in problem and "'pk'" in problem


@pytest.mark.django_db
def test_no_persona_without_the_right_sees_a_citizens_personal_data(
    world, client, django_capture_on_commit_callbacks, fake_wechat
):
    context = seed(world, client, django_capture_on_commit_callbacks)
    urls = crawl.start_urls(context)
    assert any("/reports/photo/" in u for u in urls)
    assert any("/chart/" in u for u in urls)  # charts are crawled too, and told from photos
    leaks: list[str] = []
    visited = 0
    photos_seen, other_images = set(), set()
    for label, user in personas(world).items():
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        allowed = user is not None and may(user, Action.PERSONAL_DATA_VIEW, world.account)
        markers = ALWAYS_HIDDEN if allowed else PERSONAL
        for visit in crawl.crawl(client, label, urls):
            visited += 1
            for what, marker in markers.items():
                if marker in visit.text:
                    leaks.append(f"{label}: {visit.url} shows the citizen's {what} ({marker})")
            if visit.status != 200 or not visit.image:
                continue
            if crawl.shows_photo(visit, PHOTO_COLOUR):
                photos_seen.add(label)
                if not allowed:
                    leaks.append(f"{label}: {visit.url} serves a citizen's photo")
            else:
                other_images.add(visit.url)
    assert visited > 300
    # The photo is recognised where it may be shown, and other images are not taken for it.
    assert "duty_officer" in photos_seen
    assert any("/chart/" in u for u in other_images)
    assert not leaks, "\n".join(leaks)
