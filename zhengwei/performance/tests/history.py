"""A hand-made November 2026 for one account: every figure the tests expect is worked out in
the comments of test_measures.py from exactly these records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from zhengwei.interactions.models import Channel, Conversation, ConversationState
from zhengwei.performance.models import Incident, IncidentKind, MenuProbe, Publication
from zhengwei.wechat.outbound.models import DatacubeRow

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=TZ)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


def publish(account, when: datetime, *, articles=2, originals=1, ok=True, ref=""):
    return Publication.objects.create(
        account=account,
        published_at=when,
        kind="push",
        title=f"推送 {when:%m-%d}",
        article_count=articles,
        original_count=originals,
        source="manual",
        ref=ref,
        ok=ok,
    )


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
    rows = [
        DatacubeRow(
            account=account,
            endpoint="getusersummary",
            ref_date=day,
            key="user_source=0",
            data={
                "ref_date": day.isoformat(),
                "user_source": 0,
                "new_user": new[0],
                "cancel_user": cancel[0],
            },
        ),
        DatacubeRow(
            account=account,
            endpoint="getusersummary",
            ref_date=day,
            key="user_source=1",
            data={
                "ref_date": day.isoformat(),
                "user_source": 1,
                "new_user": new[1],
                "cancel_user": cancel[1],
            },
        ),
        DatacubeRow(
            account=account,
            endpoint="getusercumulate",
            ref_date=day,
            key="",
            data={"ref_date": day.isoformat(), "cumulate_user": cumulate},
        ),
        DatacubeRow(
            account=account,
            endpoint="getbizsummary",
            ref_date=day,
            key="",
            data={"ref_date": day.isoformat(), "detail": {"read_user": reads, "share_user": 3}},
        ),
    ]
    DatacubeRow.objects.bulk_create(rows)


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
