"""Statistics (brief wechat.md §3.11): ``{begin_date, end_date}``, each endpoint with its maximum
span, ``end_date`` at most yesterday (61501 "date range error"; 61500 for a malformed date).

Figures are what happened in the simulator (follows, unfollows, article page views, comments)
plus, when ``datacube.synthetic`` is on, plausible deterministic numbers per account and date,
so that reports on a fresh demo show a living account. ``user/get`` lists only the simulator's
own followers, not the synthetic baseline."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.utils import timezone

from zhengwei.simulator.api import Call, endpoint
from zhengwei.simulator.core import today
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import ArticleSource, SimAccount, SimArticle, SimComment, SimFollower

ALL_SOURCES = 99999999


def _noise(account: SimAccount, day: date, name: str, lo: int, hi: int) -> int:
    digest = hashlib.sha256(f"{account.app_id}|{day.isoformat()}|{name}".encode()).digest()
    return lo + int.from_bytes(digest[:4], "big") % (hi - lo + 1)


def _date(value) -> date:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").date()
    except ValueError:
        raise ApiError(61500) from None


def _days(call: Call, name: str) -> list[date]:
    conf = call.limits["datacube"]
    begin = _date(call.field("begin_date"))
    end = _date(call.field("end_date"))
    earliest = _date(conf["earliest"])
    span = int(conf["spans"][name])
    yesterday = today() - timedelta(days=1)
    if end > yesterday or begin > end or begin < earliest or (end - begin).days + 1 > span:
        raise ApiError(61501)
    return [begin + timedelta(days=n) for n in range((end - begin).days + 1)]


def _synthetic(call: Call) -> bool:
    return bool(call.limits["datacube"]["synthetic"])


def _local_day(dt: datetime | None) -> date | None:
    return timezone.localtime(dt).date() if dt else None


# ---------------------------------------------------------------------------- users


def _synthetic_users(account: SimAccount, day: date) -> tuple[int, int]:
    return _noise(account, day, "new", 15, 90), _noise(account, day, "cancel", 2, 20)


def _sim_follows(account: SimAccount) -> list[tuple[date | None, date | None]]:
    return [
        (_local_day(sub), _local_day(unsub) if not subscribed else None)
        for sub, unsub, subscribed in SimFollower.objects.filter(account=account).values_list(
            "subscribe_time", "unsubscribe_time", "subscribed"
        )
    ]


@endpoint("datacube/getusersummary", privilege="datacube")
def getusersummary(call: Call):
    account = call.account
    follows = _sim_follows(account)
    rows = []
    for day in _days(call, "getusersummary"):
        new = sum(1 for sub, _u in follows if sub == day)
        cancel = sum(1 for _s, unsub in follows if unsub == day)
        if _synthetic(call):
            s_new, s_cancel = _synthetic_users(account, day)
            search = s_new // 3
            rows.append(
                {
                    "ref_date": day.isoformat(),
                    "user_source": 1,
                    "new_user": search,
                    "cancel_user": 0,
                }
            )
            new, cancel = new + s_new - search, cancel + s_cancel
        rows.append(
            {"ref_date": day.isoformat(), "user_source": 0, "new_user": new, "cancel_user": cancel}
        )
    return {"list": rows}


@endpoint("datacube/getusercumulate", privilege="datacube")
def getusercumulate(call: Call):
    account = call.account
    conf = call.limits["datacube"]
    days = _days(call, "getusercumulate")
    follows = _sim_follows(account)
    base, day = 0, None
    if _synthetic(call):
        base = int(conf["baseline_followers"])
        day = _date(conf["synthetic_since"])
        while day < days[0]:
            new, cancel = _synthetic_users(account, day)
            base += new - cancel
            day += timedelta(days=1)
    rows = []
    for ref in days:
        if _synthetic(call) and ref >= _date(conf["synthetic_since"]):
            new, cancel = _synthetic_users(account, ref)
            base += new - cancel
        real = sum(
            1
            for sub, unsub in follows
            if (sub is None or sub <= ref) and (unsub is None or unsub > ref)
        )
        rows.append({"ref_date": ref.isoformat(), "cumulate_user": base + real})
    return {"list": rows}


# ---------------------------------------------------------------------------- articles


def _article_day(call: Call, art: SimArticle, day: date) -> dict:
    """New figures of one article on one day."""
    published = _local_day(art.visible_at)
    age = (day - published).days
    if age < 0:
        return dict.fromkeys(
            ("read_user", "share_user", "zaikan_user", "like_user", "collection_user"), 0
        )
    reads = art.read_count if age == 0 else 0
    if _synthetic(call) and age < 30:
        peak = _noise(call.account, published, f"peak{art.msg_data_id}_{art.idx}", 300, 4000)
        reads += int(peak / (2**age))
    return {
        "read_user": reads,
        "share_user": reads // 12,
        "zaikan_user": reads // 40,
        "like_user": reads // 25,
        "collection_user": reads // 60,
    }


def _detail(figures: dict, comments: int) -> dict:
    reads = figures["read_user"]
    return {
        "read_user": reads,
        "read_user_source": [
            {"user_source": ALL_SOURCES, "read_user": reads},
            {"user_source": 0, "read_user": reads * 6 // 10},
            {"user_source": 4, "read_user": reads - reads * 6 // 10},
        ],
        "share_user": figures["share_user"],
        "zaikan_user": figures["zaikan_user"],
        "like_user": figures["like_user"],
        "comment_count": comments,
        "collection_user": figures["collection_user"],
    }


def _comments_by_day(articles) -> dict[tuple[int, date], int]:
    counts: dict[tuple[int, date], int] = {}
    for article_id, created in SimComment.objects.filter(article__in=articles).values_list(
        "article_id", "created_at"
    ):
        key = (article_id, _local_day(created))
        counts[key] = counts.get(key, 0) + 1
    return counts


def _articles(call: Call, until: date):
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), datetime.min.time()))
    return list(
        SimArticle.objects.filter(account=call.account, visible_at__lt=end).order_by(
            "visible_at", "idx"
        )
    )


@endpoint("datacube/getarticleread", privilege="datacube")
def getarticleread(call: Call):
    days = _days(call, "getarticleread")
    articles = _articles(call, days[-1])
    comments = _comments_by_day(articles)
    rows = []
    for day in days:
        for art in articles:
            figures = _article_day(call, art, day)
            if figures["read_user"] or comments.get((art.pk, day)):
                rows.append(
                    {
                        "ref_date": day.isoformat(),
                        "msgid": f"{art.msg_data_id}_{art.idx}",
                        "title": art.title,
                        "detail": _detail(figures, comments.get((art.pk, day), 0)),
                    }
                )
    return {"list": rows, "is_delay": False}


@endpoint("datacube/getarticleshare", privilege="datacube")
def getarticleshare(call: Call):
    days = _days(call, "getarticleshare")
    articles = _articles(call, days[-1])
    rows = []
    for day in days:
        for art in articles:
            share = _article_day(call, art, day)["share_user"]
            if share:
                rows.append(
                    {
                        "ref_date": day.isoformat(),
                        "msgid": f"{art.msg_data_id}_{art.idx}",
                        "detail": {"share_user": share, "share_user_source": []},
                    }
                )
    return {"list": rows, "is_delay": False}


@endpoint("datacube/getbizsummary", privilege="datacube")
def getbizsummary(call: Call):
    days = _days(call, "getbizsummary")
    articles = _articles(call, days[-1])
    comments = _comments_by_day(articles)
    rows = []
    for day in days:
        total = dict.fromkeys(
            ("read_user", "share_user", "zaikan_user", "like_user", "collection_user"), 0
        )
        n_comments = 0
        for art in articles:
            for key, value in _article_day(call, art, day).items():
                total[key] += value
            n_comments += comments.get((art.pk, day), 0)
        rows.append({"ref_date": day.isoformat(), "detail": _detail(total, n_comments)})
    return {"list": rows, "is_delay": False}


@endpoint("datacube/getarticletotaldetail", privilege="datacube")
def getarticletotaldetail(call: Call):
    days = _days(call, "getarticletotaldetail")
    yesterday = today() - timedelta(days=1)
    articles = [a for a in _articles(call, days[-1]) if _local_day(a.visible_at) >= days[0]]
    comments = _comments_by_day(articles)
    rows = []
    for art in articles:
        published = _local_day(art.visible_at)
        running = dict.fromkeys(
            ("read_user", "share_user", "zaikan_user", "like_user", "collection_user"), 0
        )
        n_comments = 0
        detail_list = []
        for n in range(30):
            stat = published + timedelta(days=n)
            if stat > yesterday:
                break
            for key, value in _article_day(call, art, stat).items():
                running[key] += value
            n_comments += comments.get((art.pk, stat), 0)
            detail_list.append({"stat_date": stat.isoformat(), **_detail(running, n_comments)})
        rows.append(
            {
                "ref_date": published.isoformat(),
                "msgid": f"{art.msg_data_id}_{art.idx}",
                "title": art.title,
                # 0: followers were notified (a mass send); 1: published without notification.
                "publish_type": 0 if art.source == ArticleSource.MASS else 1,
                "detail_list": detail_list,
            }
        )
    return {"list": rows, "is_delay": False}
