"""每日汛情简报: numbers from the data, each linked to its rows, charts, the newsroom draft."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from zhengwei.hydro.models import BriefingStatus
from zhengwei.hydro.services.briefings import briefing_generate, briefing_offer

BJ = ZoneInfo("Asia/Shanghai")
START, END = datetime(2017, 7, 31, 6, tzinfo=BJ), datetime(2017, 8, 1, 6, tzinfo=BJ)


@pytest.fixture(autouse=True)
def _public(settings):
    settings.PUBLIC_URL = "https://fx.example.gov.cn"


def test_the_briefing_counts_and_maxima_match_the_reported_story(world, flood):
    b = briefing_generate(actor=world["writer"], account=world.account, start=START, end=END)
    f = b.numbers["figures"]
    assert f["rain_max_point"]["value"] == 507.7
    assert f["rain_max_point"]["extra"]["station"] == "连江下宫"
    assert f["rain_max_1h"]["value"] == 100.6 and f["rain_max_1h"]["extra"]["station"] == "云霄和平"
    assert f["rain_over_100"]["value"] > 40
    assert f["rivers_over_warning"]["value"] >= 1
    assert b.numbers["typhoons"][0]["name"] in ("海棠", "纳沙")
    assert "防暴雨Ⅱ级" in " ".join(r["text"] for r in b.numbers["responses"])
    assert {c.kind for c in b.charts.all()} == {"rain_map", "rain_bars", "levels", "track", "qr"}
    assert all(bytes(c.png).startswith(b"\x89PNG") for c in b.charts.all())
    assert "507.7" in b.body_html and "连江下宫" in b.body_html
    assert "https://fx.example.gov.cn/hydro/briefings/" in b.body_html  # images by absolute URL
    assert "/hydro/rows/" not in b.body_html  # the article body has no console links
    assert b.status == BriefingStatus.DRAFT


def test_every_number_on_the_review_page_links_to_its_rows(world, flood, client_for):
    b = briefing_generate(actor=world["writer"], account=world.account, start=START, end=END)
    client = client_for(world["editor"])
    page = client.get(f"/hydro/briefings/{b.pk}/").content.decode()
    assert 'data-testid="fig-rain_max_point"' in page
    import re

    href = re.search(r'href="(/hydro/rows/\?[^"]+)"[^>]*data-testid="fig-rain_max_point"', page)
    rows = client.get(href.group(1).replace("&amp;", "&")).content.decode()
    assert "连江下宫" in rows and "507.7" in rows
    chart = client.get(f"/hydro/briefings/{b.pk}/chart/rain_map.png")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/png"


def test_the_briefing_goes_to_the_newsroom_as_a_draft_once(world, flood):
    from zhengwei.newsroom.models import Article

    b = briefing_generate(actor=world["writer"], account=world.account, start=START, end=END)
    b = briefing_offer(actor=world["writer"], briefing=b)
    assert b.status == BriefingStatus.OFFERED
    article = Article.objects.get(pk=b.article_id)
    assert article.title == b.title and "507.7" in article.body_html
    assert article.get_state_display() and article.state == "draft"
    with pytest.raises(Exception, match="已送编辑部"):
        briefing_offer(actor=world["writer"], briefing=b)


def test_who_may_generate(world, flood):
    with pytest.raises(PermissionDenied):
        briefing_generate(actor=world["auditor"], account=world.account, start=START, end=END)
    with pytest.raises(PermissionDenied):
        briefing_generate(actor=world.outsider, account=world.account, start=START, end=END)


def test_the_console_page_generates_with_the_default_window(world, flood, client_for):
    client = client_for(world["duty_officer"])
    response = client.post("/hydro/briefings/", {"account": world.account.pk}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="briefing-body"' in page
    assert "507.7" in page  # the default window is the last 06:00–06:00 day of the data
