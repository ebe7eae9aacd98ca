from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zhengwei.newsroom import services
from zhengwei.newsroom.models import Article, Emergency, Push
from zhengwei.newsroom.selectors import newsroom_accounts, newsroom_metrics
from zhengwei.newsroom.tests.helpers import approve_all, draft, pending
from zhengwei.testing.factories import WeChatAccountFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def published(world, article, when, push=None):
    """Mark as published (the publishing path itself is tested elsewhere)."""
    push = push or Push.objects.create(
        account=world.account,
        title=article.title,
        planned_for=when.date(),
        created_by=world["operator"],
        state="published",
        published_at=when,
    )
    Article.objects.filter(pk=article.pk).update(state="published", published_at=when, push=push)
    return push


def test_the_metrics_count_what_was_published_in_the_period(world):
    monday = datetime(2017, 7, 24, 9, tzinfo=TZ)
    reviewed = []
    for day in range(3):
        article = draft(world, title=f"稿件{day}")
        Article.objects.filter(pk=article.pk).update(created_at=monday + timedelta(days=day))
        services.article_submit(actor=world["writer"], article=article)
        reviewed.append(approve_all(world, article))
    for day, article in enumerate(reviewed):
        published(world, article, monday + timedelta(days=day, hours=6))
    # A reprint that skipped the chain (entered by hand before the system): counted, not complete.
    reprint = draft(world, title="转载", is_original=False)
    Article.objects.filter(pk=reprint.pk).update(created_at=monday)
    published(world, reprint, monday + timedelta(days=4, hours=12))
    # Outside the period: not counted.
    late = draft(world, title="下周")
    published(world, late, monday + timedelta(days=8))

    m = newsroom_metrics(account=world.account, start=date(2017, 7, 24), end=date(2017, 7, 31))
    assert m["pushes_published"] == 4
    assert m["articles_published"] == 4
    assert m["originals"] == 3 and m["original_share"] == 0.75
    assert m["review_chain_complete_share"] == 0.75
    assert m["median_draft_to_publish_hours"] == 6.0
    assert (m["cadence_weeks"], m["cadence_planned"], m["cadence_met"]) == (1, 3, 1)
    assert set(m["sources"]["articles_published"]["queryset"]) == {*reviewed, reprint}


def test_an_emergency_raises_the_cadence_and_its_latency_is_measured(world):
    start = datetime(2017, 7, 29, 20, tzinfo=TZ)
    Emergency.objects.create(
        account=world.account,
        kind="typhoon",
        name="台风“纳沙”",
        level="IV",
        started_at=start,
        per_week=7,
        declared_by=world["office_leader"],
    )
    article = draft(world)
    published(world, article, start + timedelta(minutes=45))
    m = newsroom_metrics(account=world.account, start=date(2017, 7, 24), end=date(2017, 7, 31))
    assert m["emergency_latency_minutes"] == 45
    assert (m["cadence_planned"], m["cadence_met"]) == (7, 0)


def test_confirmed_typos_and_banned_hits_are_counted_once_per_article(world):
    from zhengwei.newsroom.models import Term

    Term.objects.create(account=world.account, kind="banned", term="绝对安全")
    article = draft(world, body="<p>按装。绝对安全。</p>")
    typo = article.findings.get(kind="typo", revision=article.revision)
    services.finding_decide(actor=world["editor"], finding=typo, confirmed=True)
    today = date.today()
    m = newsroom_metrics(account=world.account, start=today, end=today + timedelta(days=1))
    assert m["typo_count"] == 1
    assert m["banned_hits"] == 1  # found on two revisions, one article: one hit
    assert m["articles_published"] == 0 and m["original_share"] is None
    assert pending  # helpers import kept for symmetry


def test_the_metrics_page_shows_the_figures_and_the_chart_data(world, client_for):
    from django.urls import reverse

    monday = datetime(2017, 7, 24, 9, tzinfo=TZ)
    article = draft(world, title="周报")
    services.article_submit(actor=world["writer"], article=article)
    services.review_approve(actor=world["editor"], step=pending(article))
    services.review_return(actor=world["office_reviewer"], step=pending(article), reason="数据待核")
    published(world, article, monday + timedelta(hours=3))
    article.steps.update(started_at=monday, decided_at=monday + timedelta(hours=1))
    page = client_for(world["office_leader"]).get(
        reverse("newsroom:metrics") + "?start=2017-07-24&end=2017-07-31"
    )
    assert page.status_code == 200 and 'data-testid="figures"' in page.text
    assert 'id="newsroom-metrics"' in page.text and "数据待核" in page.text
    assert client_for(world["writer"]).get(reverse("newsroom:metrics")).status_code == 403


def test_only_the_accounts_with_newsroom_records_are_named_as_its_users(world):
    idle = WeChatAccountFactory()
    article = draft(world, title="用过稿件库")
    assert newsroom_accounts([world.account.pk, idle.pk]) == {article.account_id}
    assert newsroom_accounts([idle.pk]) == set()
