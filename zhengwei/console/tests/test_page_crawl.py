"""Every page answers, for every persona: never a 500 (issue #7: 报灾统计 answered 500 to all),
and never shows a person a raw code (auth.sign_in, in_progress, SIM_REPORT_GUIDE).

The same crawl as the privacy test (zhengwei/testing/crawl.py): every URL pattern, as every
persona, and the links on those pages; a deliberate 403/404/405 is fine, a server error is not.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings

from zhengwei.console.tests.crawling import fake_wechat, personas, seed
from zhengwei.demo.menu import MENU
from zhengwei.orgs.models import User
from zhengwei.testing import crawl

__all__ = ["fake_wechat"]  # the fixture


def _codes() -> set[str]:
    """Single-word codes a page must not show alone: the menu keys (the demo menu's and the
    report button's) and the single-word values of every model field's choices."""
    keys = {b.get("key", "") for top in MENU["button"] for b in [top, *top.get("sub_button", [])]}
    keys |= set(settings.REPORT_CHAT_MENU_KEYS)
    values = {
        str(value)
        for model in apps.get_models()
        if model.__module__.startswith("zhengwei.")
        for f in model._meta.get_fields()
        for value, _label in getattr(f, "flatchoices", None) or ()
        if isinstance(value, str) and re.fullmatch(r"[a-z]{5,}", value)
    }
    return {k for k in keys | values if k}


# Words people type or configure themselves, named on the pages that explain how: settings
# (README), a scheduled command, WeChat's API terms on the menu editor and the API log, the
# SL 323 tables the flood data comes in, the example key of a menu-click reply.
TERMS = {
    "NOTIFY_GATEWAY",
    "NOTIFY_GATEWAY_URL",
    "wechat_periodic",
    "article_id",
    "access_token",
    "FLOOD_NOW",
    "ST_PPTN_R",
    "ST_RIVER_R",
    "ST_RSVR_R",
    "ST_STBPRP_B",
    "ST_RVFCCH_B",
    "ST_RSVRFSR_B",
}


@pytest.mark.django_db
def test_no_page_answers_a_server_error_or_shows_a_raw_code_for_any_persona(
    world, client, django_capture_on_commit_callbacks, fake_wechat
):
    context = seed(world, client, django_capture_on_commit_callbacks)
    urls = crawl.start_urls(context)
    client.raise_request_exception = False
    codes = _codes()
    # A person's sign-in name is theirs to type, not a code (the test world's look like roles).
    terms = TERMS | set(User.objects.values_list("username", flat=True))
    errors, shown = [], []
    pages = 0
    people = personas(world)
    terms |= {u.username for u in people.values() if u is not None}
    for label, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for visit in crawl.crawl(client, label, urls):
            if visit.status >= 500:
                errors.append(
                    f"{label}: {visit.url} answered {visit.status} (linked from {visit.via or 'the URL conf'})"
                )
            if visit.status == 200 and "html" in visit.content_type:
                pages += 1
                for code in crawl.raw_codes(visit.text, codes=codes, terms=terms):
                    shown.append(f"{label}: {visit.url} shows the code {code!r}")
                for snippet in crawl.stray_spaces(visit.text):
                    shown.append(f"{label}: {visit.url} splits a sentence: {snippet!r}")
    assert pages > 200
    assert not errors, "\n".join(errors)
    assert not shown, "\n".join(sorted(set(shown)))


def test_the_code_check_finds_codes_and_leaves_labels_and_marked_codes_alone():
    page = (
        '<p title="report.escalated">状态：in_progress，菜单 SIM_REPORT_GUIDE，已督办</p>'
        "<p>详见 mp.weixin.qq.com 与 outbox.jsonl；<code>auth.sign_in</code>"
        "<span data-code>orgs.user</span> received</p><script>var a_b = 1;</script>"
    )
    found = crawl.raw_codes(page, codes={"received"})
    assert found == ["SIM_REPORT_GUIDE", "in_progress", "received", "report.escalated"]


def test_the_space_check_finds_a_split_sentence_and_leaves_numbers_and_codes_alone():
    page = "<p>已转 闽侯县 处理，限 3 天</p><p>报告 FJ20261206-0001 已 提交</p><code>甲 乙</code>"
    found = crawl.stray_spaces(page)
    assert found == ["已转 闽侯县 处理，", "已转 闽侯县 处理，限 3", "-0001 已 提交"]


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
