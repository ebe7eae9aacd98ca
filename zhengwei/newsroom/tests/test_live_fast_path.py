"""The public live page's lean path (zhengwei/newsroom/live_fast.py, mounted by zhengwei.wsgi):
readers get the shared cache's copy with the headers Django's full stack gives the same page;
a new entry is on the lean path as soon as its check commits; whatever the lean path is unsure
of goes to Django; and a render that started before a change never replaces the newer copy."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.newsroom import live_cache, live_fast, services
from zhengwei.newsroom.models import LiveEntry, LiveEntryState, LiveEvent
from zhengwei.wechat.inbound.tests.helpers import wsgi_call

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "localhost"}


@pytest.fixture
def event(world, django_capture_on_commit_callbacks):
    cache.clear()
    live_cache.forget_local("nesat")
    event = services.live_event_open(
        actor=world["office_reviewer"], account=world.account, title="台风“纳沙”直播", slug="nesat"
    )
    post(world, event, "闽江口风力加大", django_capture_on_commit_callbacks)
    return event


def post(world, event, body, capture):
    entry = services.live_entry_post(actor=world["writer"], event=event, body=body)
    with capture(execute=True):
        services.live_entry_check(actor=world["office_reviewer"], entry=entry, approve=True)
    return entry


def lean(path, **environ):
    """The lean path's own answer (None: it hands the request to Django)."""
    captured = {}
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "wsgi.url_scheme": "http",
    }
    body = live_fast.answer(
        {**base, **HOST, **environ}, lambda s, h: captured.update(status=s, headers=dict(h))
    )
    return None if body is None else (captured["status"], captured["headers"], b"".join(body))


def without_nonce(headers: dict) -> dict:
    return {k: re.sub(r"'nonce-[^']+'", "'nonce-…'", v) for k, v in headers.items()}


def test_readers_get_the_cached_page_with_the_headers_of_the_full_stack(event, client):
    fast = lean("/live/nesat/")
    assert fast is not None and fast[0] == "200 OK" and "闽江口风力加大" in fast[2].decode()
    django = client.get("/live/nesat/")
    assert django.status_code == 200 and django.content == fast[2]
    assert without_nonce(fast[1]) == without_nonce(dict(django.headers))
    assert "Content-Security-Policy" in fast[1] and fast[1]["Cache-Control"] == "public, max-age=5"
    # Each response has its own nonce, as on every other page.
    assert fast[1]["Content-Security-Policy"] != lean("/live/nesat/")[1]["Content-Security-Policy"]


def test_a_reader_with_the_current_etag_gets_304_as_from_django(event, client):
    etag = lean("/live/nesat/feed/")[1]["ETag"]
    fast = lean("/live/nesat/feed/", HTTP_IF_NONE_MATCH=etag)
    django = client.get("/live/nesat/feed/", HTTP_IF_NONE_MATCH=etag)
    assert fast[0] == "304 Not Modified" and fast[2] == b""
    assert django.status_code == 304 and fast[1] == dict(django.headers)


def test_the_wsgi_entry_point_serves_readers_from_the_lean_path(event, monkeypatch):
    monkeypatch.setattr("zhengwei.wsgi.django_application", lambda environ, start: 1 / 0)
    status, headers, body = wsgi_call("GET", "/live/nesat/", **HOST)
    assert status == "200 OK" and "闽江口风力加大" in body.decode() and headers["ETag"]


def test_a_new_entry_is_on_the_lean_path_as_soon_as_its_check_commits(
    world, event, django_capture_on_commit_callbacks
):
    etag = lean("/live/nesat/feed/")[1]["ETag"]
    post(world, event, "连江县已转移群众1037人", django_capture_on_commit_callbacks)
    fresh = lean("/live/nesat/feed/", HTTP_IF_NONE_MATCH=etag)
    assert fresh is not None and fresh[0] == "200 OK"
    assert "连江县已转移群众1037人" in fresh[2].decode() and fresh[1]["ETag"] != etag


def test_another_process_s_change_reaches_this_process_within_a_second(world, event):
    with freeze_time() as clock:
        assert "水位回落" not in lean("/live/nesat/feed/")[2].decode()
        LiveEntry.objects.create(
            event=event, body="水位回落", state=LiveEntryState.APPROVED, posted_by=world["writer"]
        )
        LiveEvent.objects.filter(pk=event.pk).update(changed_at=timezone.now())
        live_cache.refresh(event.pk)  # as that process does once its change commits
        assert "水位回落" not in lean("/live/nesat/feed/")[2].decode()  # this process's copy
        clock.tick(live_cache.LOCAL_SECONDS + 0.1)
        assert "水位回落" in lean("/live/nesat/feed/")[2].decode()


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_COOKIE": "sessionid=abc"},  # a signed-in person: their own language decides
        {"HTTP_HOST": "evil.example"},  # Django answers 400
        {"REQUEST_METHOD": "POST"},
        {"QUERY_STRING": "x=1"},
        {"PATH_INFO": "/live/no-such-page/"},
    ],
    ids=["session", "host", "post", "query", "unknown"],
)
def test_what_the_lean_path_is_unsure_of_goes_to_django(event, environ):
    assert lean("/live/nesat/") is not None
    assert lean("/live/nesat/", **environ) is None


def test_the_language_cookie_picks_the_copy_in_that_language(event, settings):
    english = lean("/live/nesat/", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    chinese = lean("/live/nesat/")
    assert english[1]["Content-Language"] == "en" and "Live" in english[2].decode()
    assert chinese[1]["Content-Language"] == "zh-hans" and "直播中" in chinese[2].decode()


def test_plain_http_goes_to_django_when_https_is_required_and_https_gets_hsts(event, settings):
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert lean("/live/nesat/") is None
    secure = lean("/live/nesat/", HTTP_X_FORWARDED_PROTO="https")
    assert secure[1]["Strict-Transport-Security"].startswith("max-age=3600")


def test_a_render_begun_before_a_change_never_replaces_the_newer_copy(
    world, event, monkeypatch, django_capture_on_commit_callbacks
):
    cache.clear()
    live_cache.forget_local("nesat")
    render = live_cache.render

    def slow_render(ev, part, language):
        old = render(ev, part, language)  # the reader has read the page as it was …
        monkeypatch.setattr(live_cache, "render", render)
        post(world, event, "新消息：水位回落", django_capture_on_commit_callbacks)  # … then this
        return old

    monkeypatch.setattr(live_cache, "render", slow_render)
    stale = live_cache.copy("nesat", "feed", "zh-hans")
    assert "水位回落" not in stale[1]
    assert "水位回落" in lean("/live/nesat/feed/")[2].decode()


def test_a_change_during_the_writers_render_is_rendered_again(
    world, event, monkeypatch, django_capture_on_commit_callbacks
):
    render = live_cache.render
    calls = []

    def render_then_change(ev, part, language):
        old = render(ev, part, language)
        calls.append(part)
        if len(calls) == 1:  # another office member's approval commits and stores its copy first
            LiveEntry.objects.create(
                event=event, body="第二条", state=LiveEntryState.APPROVED, posted_by=world["writer"]
            )
            LiveEvent.objects.filter(pk=event.pk).update(changed_at=timezone.now())
            live_cache.refresh(event.pk)
        return old

    monkeypatch.setattr(live_cache, "render", render_then_change)
    post(world, event, "第一条", django_capture_on_commit_callbacks)
    feed = lean("/live/nesat/feed/")[2].decode()
    assert "第一条" in feed and "第二条" in feed
