"""A hand-made November 2026 for one account: every figure the tests expect is worked out in
the comments of test_measures.py from exactly these records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from zhengwei.interactions.models import Channel, Conversation, ConversationState
from zhengwei.newsroom.models import Article, Revision
from zhengwei.performance import seeding
from zhengwei.performance.models import Incident, IncidentKind, MenuProbe
from zhengwei.wechat.outbound.models import DatacubeRow

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=TZ)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


def publish(account, when: datetime, *, articles=2, originals=1, ok=True, ref=""):
    p = seeding.push(account, when, articles=articles, originals=originals, ref=ref, ok=ok)
    p.save()
    return p


def conversation(
    account, created: datetime, *, first=None, resolved=None, escalated=None, due_h=48
):
    return Conversation.objects.create(
        account=account,
        channel=Channel.MESSAGE,
        openid="oTEST" + created.strftime("%m%d%H"),
        preview="……",
        state=ConversationState.RESOLVED if resolved else ConversationState.OPEN,
        created_at=created,
        last_item_at=created,
        first_response_due=created + timedelta(hours=8),
        resolution_due=created + timedelta(hours=due_h),
        first_response_at=created + timedelta(hours=first) if first is not None else None,
        resolved_at=created + timedelta(hours=resolved) if resolved is not None else None,
        escalated_at=created + timedelta(hours=escalated) if escalated is not None else None,
    )


def stats_day(account, day: date, *, new=(6, 4), cancel=(1, 1), cumulate=1000, reads=100):
    DatacubeRow.objects.bulk_create(
        seeding.stats_day(
            account, day, new=new, cancel=cancel, followers=cumulate, reads=reads, shares=3
        )
    )


def november(account) -> None:
    publish(account, at(10, 25))
    publish(account, at(11, 3))
    publish(account, at(11, 10))
    publish(account, at(11, 20), originals=2)
    publish(account, at(11, 28), ok=False)  # failed: not an update

    conversation(account, at(11, 5, 9), first=2, resolved=20)
    conversation(account, at(11, 6, 9), first=6, resolved=100, escalated=1)
    conversation(account, at(11, 7, 9), first=10, escalated=3)
    conversation(account, at(11, 8, 9))
    conversation(account, at(8, 1, 9))  # never answered: over 90 days by the period's end

    cumulate = 1000
    for n in range(1, 29):
        if n == 15:
            continue  # WeChat kept nothing for this day
        cumulate += 8
        stats_day(account, date(2026, 11, n), cumulate=cumulate)

    Incident.objects.create(
        account=account,
        kind=IncidentKind.SERIOUS_ERROR,
        occurred_at=at(11, 12),
        description="领导职务表述错误",
    )
    for n in (1, 2, 3):
        MenuProbe.objects.create(
            account=account,
            label="汛情实况",
            url="https://a.example/x",
            probed_at=at(11, n, 3),
            ok=False,
            status_code=502,
        )
        MenuProbe.objects.create(
            account=account,
            label="工作动态",
            url="https://a.example/y",
            probed_at=at(11, n, 3),
            ok=True,
            status_code=200,
        )


def newsroom_article(account, when: datetime, *, title: str, body: str, source_url: str = ""):
    """A published newsroom article whose approved text is ``title`` and ``body`` (the review
    path itself is tested in the newsroom)."""
    article = Article.objects.create(
        account=account,
        title=title,
        body_html=body,
        state="published",
        published_at=when,
        source_url=source_url,
        is_original=not source_url,
    )
    revision = Revision.objects.create(
        article=article, number=1, title=title, body_html=body, hash=f"h{article.pk}"
    )
    Article.objects.filter(pk=article.pk).update(revision=revision, approved_revision=revision)
    article.refresh_from_db()
    return article
