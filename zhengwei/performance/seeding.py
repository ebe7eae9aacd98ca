"""Past traffic built in bulk — a day of WeChat's statistics, a push — for the demo, the benchmark
and the tests, so all three store history in one shape (the shape ``datacube_fetch`` stores and
the listeners record). Unsaved rows: the caller bulk-creates them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance.models import Publication, PublicationKind, PublicationSource
from zhengwei.wechat.outbound.models import DatacubeRow


def stats_day(
    account: WeChatAccount,
    day: date,
    *,
    new: Sequence[int],
    cancel: Sequence[int],
    followers: int,
    reads: int,
    shares: int = 0,
    articles: Iterable[tuple[str, dict]] = (),
) -> list[DatacubeRow]:
    """One day's rows: new and cancelled followers per source (``new[i]``, ``cancel[i]`` for
    user_source i), the follower total, the whole account's reads and shares, and each article's
    figures (``(msgid, detail)``: read_user, zaikan_user, like_user, share_user)."""
    iso = day.isoformat()

    def row(endpoint: str, key: str, data: dict) -> DatacubeRow:
        return DatacubeRow(
            account=account,
            endpoint=endpoint,
            ref_date=day,
            key=key,
            data={"ref_date": iso, **data},
        )

    rows = [
        row(
            "getusersummary",
            f"user_source={source}",
            {"user_source": source, "new_user": n, "cancel_user": c},
        )
        for source, (n, c) in enumerate(zip(new, cancel, strict=True))
    ]
    rows.append(row("getusercumulate", "", {"cumulate_user": followers}))
    rows.append(row("getbizsummary", "", {"detail": {"read_user": reads, "share_user": shares}}))
    rows += [
        row("getarticleread", f"msgid={msgid}", {"msgid": msgid, "detail": detail})
        for msgid, detail in articles
    ]
    return rows


def push(
    account: WeChatAccount,
    at: datetime,
    *,
    articles: int,
    originals: int,
    ref: str,
    title: str = "",
    ok: bool = True,
) -> Publication:
    """A mass push the office entered (the history before the platform saw the account)."""
    return Publication(
        account=account,
        published_at=at,
        kind=PublicationKind.PUSH,
        title=title or f"推送 {at:%m-%d}",
        article_count=articles,
        original_count=originals,
        source=PublicationSource.MANUAL,
        ref=ref,
        ok=ok,
    )
