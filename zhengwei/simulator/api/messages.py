"""Mass send (brief wechat.md §3.5) and customer-service messages (§3.6).

``sendall``: one successful call a day for a subscription account (then 45028), ``clientmsgid``
de-duplication (45065 with the earlier msg_id), the push lands on every follower's phone and the
MASSSENDJOBFINISH event reaches the callback ``mass.delay_seconds`` later. A send can be made to
fail after submission, as WeChat's review does (``fail_for``): it is accepted with a msg_id, nothing
reaches the phones, and MASSSENDJOBFINISH carries the failure (``err(10001)``). ``custom/send``:
only inside the citizen's window (45015 outside, 45047 when its quota is spent)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db.models import Q

from zhengwei.lib.wxxml import build_message_xml
from zhengwei.simulator import deliveries
from zhengwei.simulator.api import Call, endpoint, ok
from zhengwei.simulator.articles import create_articles
from zhengwei.simulator.core import bump, count_of, next_number, public_url
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import (
    ArticleSource,
    Direction,
    ItemSource,
    SimAccount,
    SimArticle,
    SimDraft,
    SimFollower,
    SimMassSend,
    SimMedia,
    SimPhoneItem,
)
from zhengwei.simulator.phone import article_url, custom_payload, draft_articles_payload, media_url
from zhengwei.simulator.windows import use_window

MASS_TYPES = frozenset({"mpnews", "text", "voice", "image", "mpvideo", "wxcard"})
CUSTOM_TYPES = frozenset(
    {
        "text",
        "image",
        "voice",
        "video",
        "music",
        "news",
        "mpnews",
        "mpnewsarticle",
        "msgmenu",
        "wxcard",
        "miniprogrampage",
    }
)


def _media_alive(account: SimAccount, media_id) -> bool:
    media = SimMedia.objects.filter(account=account, media_id=str(media_id or "-")).first()
    return media is not None and media.is_alive()


def _inner(body: dict, msgtype: str) -> dict:
    inner = body.get(msgtype)
    if not isinstance(inner, dict):
        raise ApiError(47001, f"missing {msgtype}")
    return inner


def _open_draft(account: SimAccount, media_id) -> SimDraft:
    draft = SimDraft.objects.filter(
        account=account, media_id=str(media_id or "-"), deleted=False, consumed_at__isnull=True
    ).first()
    if draft is None:
        raise ApiError(40007)
    return draft


def _check_mass_content(account: SimAccount, body: dict, msgtype: str) -> SimDraft | None:
    if msgtype not in MASS_TYPES:
        raise ApiError(40008)
    inner = _inner(body, msgtype)
    if msgtype == "mpnews":
        return _open_draft(account, inner.get("media_id"))
    if msgtype == "text":
        if not str(inner.get("content") or "").strip():
            raise ApiError(44004)
    elif msgtype == "wxcard":
        if not inner.get("card_id"):
            raise ApiError(40035, "card_id")
    elif not _media_alive(account, inner.get("media_id")):
        raise ApiError(40007)
    return None


def _mass_payload(account: SimAccount, body: dict, msgtype: str, urls: list[str], draft) -> dict:
    inner = body[msgtype]
    if msgtype == "mpnews":
        return draft_articles_payload(account, draft.articles, urls)
    if msgtype == "text":
        return {"msgtype": "text", "text": inner.get("content", "")}
    if msgtype == "image":
        return {"msgtype": "image", "image_url": media_url(account, inner.get("media_id"))}
    if msgtype == "voice":
        return {"msgtype": "voice", "text": ""}
    return {"msgtype": "video" if msgtype == "mpvideo" else "text", "title": f"[{msgtype}]"}


def _default_clientmsgid(body: dict, msgtype: str) -> str:
    scope = json.dumps(body.get("filter"), sort_keys=True)
    content = json.dumps(body.get(msgtype), sort_keys=True, ensure_ascii=False)
    return "auto:" + hashlib.sha1(f"{scope}|{msgtype}|{content}".encode()).hexdigest()


def fail_for(account: SimAccount, conf: dict, body: dict, msgtype: str, draft) -> str:
    """The Status this send will finish with if it is to fail; empty: it goes out. The page's
    switch (once), then the marker in a title or text, then ``fail_all``."""
    if account.mass_fail_next:
        return account.mass_fail_next
    marker = conf.get("fail_marker") or ""
    if draft is not None:
        texts = [str(a.get("title", "")) for a in draft.articles]
    else:
        texts = [str((body.get(msgtype) or {}).get("content", ""))]
    if (marker and any(marker in t for t in texts)) or conf.get("fail_all"):
        return conf["fail_status"]
    return ""


def mass_event_xml(mass: SimMassSend, rows: list[SimArticle], event_from: str) -> bytes:
    fields = {
        "ToUserName": mass.account.original_id,
        "FromUserName": event_from,
        "CreateTime": int(mass.completes_at.timestamp()),
        "MsgType": "event",
        "Event": "MASSSENDJOBFINISH",
        "MsgID": mass.msg_id,
        "Status": mass.fail_status or "send success",
        "TotalCount": mass.total_count,
        "FilterCount": mass.filter_count,
        "SentCount": mass.sent_count,
        "ErrorCount": mass.filter_count - mass.sent_count,
        "CopyrightCheckResult": {"Count": 0, "CheckState": 1},
    }
    if rows:
        fields["ArticleUrlResult"] = {
            "Count": len(rows),
            "ResultList": [{"ArticleIdx": r.idx, "ArticleUrl": article_url(r)} for r in rows],
        }
    return build_message_xml(fields)


def _recipients(call: Call, is_to_all: bool, tag_id) -> tuple[list[str], int]:
    """Openids that receive the push, and how many were filtered out."""
    account = call.account
    followers = list(
        SimFollower.objects.filter(account=account, subscribed=True).values_list(
            "openid", "tagid_list"
        )
    )
    if not is_to_all:
        followers = [(o, tags) for o, tags in followers if int(tag_id) in (tags or [])]
    openids = [o for o, _tags in followers]
    if account.is_subscription:
        return openids, 0
    # Service accounts: a follower receives at most 4 pushes a calendar month.
    month_start = call.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    per_month = call.limits["mass"]["service_monthly_per_user"]
    received = {}
    for openid in SimPhoneItem.objects.filter(
        account=account, source=ItemSource.MASS, created_at__gte=month_start
    ).values_list("openid", flat=True):
        received[openid] = received.get(openid, 0) + 1
    kept = [o for o in openids if received.get(o, 0) < per_month]
    return kept, len(openids) - len(kept)


@endpoint("cgi-bin/message/mass/sendall", privilege="mass")
def sendall(call: Call):
    account = call.account
    conf = call.limits["mass"]
    body = call.json()
    filt = call.field("filter", dict)
    is_to_all = filt.get("is_to_all") in (True, "true", 1, "1")
    tag_id = filt.get("tag_id")
    if not is_to_all and (tag_id in (None, "") or not str(tag_id).isdigit()):
        raise ApiError(40035, "filter needs is_to_all or tag_id")
    msgtype = call.field("msgtype")
    draft = _check_mass_content(account, body, msgtype)
    clientmsgid = call.field("clientmsgid", required=False, default="")
    if len(clientmsgid.encode()) > conf["clientmsgid_bytes"]:
        raise ApiError(45067)
    clientmsgid = clientmsgid or _default_clientmsgid(body, msgtype)

    SimAccount.objects.select_for_update().filter(pk=account.pk).first()
    since = call.now - timedelta(seconds=conf["clientmsgid_window_seconds"])
    earlier = SimMassSend.objects.filter(
        account=account, clientmsgid=clientmsgid, preview_to="", created_at__gte=since
    ).first()
    if earlier is not None:
        raise ApiError(45065, msg_id=earlier.msg_id)
    if account.is_subscription and count_of(account, "mass:sendall") >= conf["subscription_daily"]:
        raise ApiError(45028)

    recipients, filtered = _recipients(call, is_to_all, tag_id)
    completes_at = call.now + timedelta(seconds=float(conf["delay_seconds"]))
    failure = fail_for(account, conf, body, msgtype, draft)
    if account.mass_fail_next:
        SimAccount.objects.filter(pk=account.pk).update(mass_fail_next="")
    mass = SimMassSend.objects.create(
        account=account,
        msg_id=next_number(account, "msg_id"),
        msg_data_id=next_number(account, "msg_data_id") if msgtype == "mpnews" else None,
        msgtype=msgtype,
        payload=body,
        clientmsgid=clientmsgid,
        is_to_all=is_to_all,
        tag_id=None if is_to_all else int(tag_id),
        total_count=len(recipients) + filtered,
        filter_count=len(recipients),
        sent_count=0 if failure else len(recipients),
        completes_at=completes_at,
        created_at=call.now,
        fail_status=failure,
    )
    if failure:
        recipients = []  # nothing reaches a phone; the draft is consumed all the same
    rows: list[SimArticle] = []
    if draft is not None and not failure:
        rows = create_articles(
            account,
            msg_data_id=mass.msg_data_id,
            articles=draft.articles,
            source=ArticleSource.MASS,
            visible_at=completes_at,
        )
    if draft is not None:
        # A mass-sent draft leaves the draft box; its media_id is no longer valid.
        draft.consumed_at = call.now
        draft.save(update_fields=["consumed_at"])
    payload = _mass_payload(account, body, msgtype, [article_url(r) for r in rows], draft)
    SimPhoneItem.objects.bulk_create(
        [
            SimPhoneItem(
                account=account,
                openid=openid,
                direction=Direction.DOWN,
                source=ItemSource.MASS,
                payload=payload,
                created_at=call.now,
                visible_at=completes_at,
            )
            for openid in recipients
        ],
        batch_size=500,
    )
    if not failure or conf["failed_uses_quota"]:
        bump(account, "mass:sendall")
    deliveries.enqueue(
        account,
        "MASSSENDJOBFINISH",
        mass_event_xml(mass, rows, conf["event_from"]),
        conf["delay_seconds"],
    )
    result = {"errcode": 0, "errmsg": "send job submission success", "msg_id": mass.msg_id}
    if mass.msg_data_id:
        result["msg_data_id"] = mass.msg_data_id
    return result


@endpoint("cgi-bin/message/mass/preview", privilege="mass")
def preview(call: Call):
    account = call.account
    conf = call.limits["mass"]
    body = call.json()
    touser = body.get("touser")
    if not touser:
        raise ApiError(40003, "touser (towxname is not simulated)")
    follower = SimFollower.objects.filter(account=account, openid=str(touser)).first()
    if follower is None:
        raise ApiError(40003)
    if not follower.subscribed:
        raise ApiError(43004)
    msgtype = call.field("msgtype")
    draft = _check_mass_content(account, body, msgtype)
    if count_of(account, "mass:preview") >= conf["preview_daily"]:
        raise ApiError(45009)
    bump(account, "mass:preview")
    urls = []
    if draft is not None:
        urls = [public_url(f"draft/{draft.media_id}/{i}/") for i in range(len(draft.articles))]
    mass = SimMassSend.objects.create(
        account=account,
        msg_id=next_number(account, "msg_id"),
        msgtype=msgtype,
        payload=body,
        preview_to=follower.openid,
        total_count=1,
        filter_count=1,
        sent_count=1,
        completes_at=call.now,
        created_at=call.now,
    )
    SimPhoneItem.objects.create(
        account=account,
        openid=follower.openid,
        direction=Direction.DOWN,
        source=ItemSource.PREVIEW,
        payload=_mass_payload(account, body, msgtype, urls, draft),
        created_at=call.now,
        visible_at=call.now,
    )
    return {"errcode": 0, "errmsg": "preview success", "msg_id": mass.msg_id}


@endpoint("cgi-bin/message/mass/get", privilege="mass")
def mass_get(call: Call):
    mass = call.own(SimMassSend, "msg_id")
    return {"msg_id": mass.msg_id, "msg_status": mass.status(call.now)}


@endpoint("cgi-bin/message/mass/delete", privilege="mass")
def mass_delete(call: Call):
    mass = call.own(SimMassSend, "msg_id")
    idx = call.field("article_idx", int, required=False, default=0)
    articles = SimArticle.objects.filter(
        account=call.account, msg_data_id=mass.msg_data_id or -1, source=ArticleSource.MASS
    )
    if idx:
        articles = articles.filter(idx=idx)
    else:
        mass.deleted = True
        mass.save(update_fields=["deleted"])
    articles.update(deleted=True)
    return ok()


def _check_custom(call: Call, body: dict, msgtype: str) -> None:
    account = call.account
    conf = call.limits["custom"]
    if msgtype not in CUSTOM_TYPES:
        raise ApiError(40008)
    inner = _inner(body, msgtype)
    if msgtype == "text":
        content = str(inner.get("content") or "")
        if not content.strip():
            raise ApiError(44004)
        if len(content.encode()) > conf["text_max_bytes"]:
            raise ApiError(45002)
    elif msgtype in {"image", "voice", "video"}:
        if not _media_alive(account, inner.get("media_id")):
            raise ApiError(40007)
    elif msgtype == "news":
        articles = inner.get("articles")
        if not isinstance(articles, list) or not articles:
            raise ApiError(44003)
        if len(articles) > conf["news_max_articles"]:
            raise ApiError(45008)
        for article in articles:
            if not isinstance(article, dict) or not article.get("title"):
                raise ApiError(44003)
    elif msgtype == "mpnews":
        if not SimDraft.objects.filter(
            account=account, media_id=str(inner.get("media_id") or "-"), deleted=False
        ).exists():
            raise ApiError(40007)
    elif msgtype == "mpnewsarticle":
        if not SimArticle.objects.filter(
            Q(article_id=str(inner.get("article_id") or "-")), account=account, deleted=False
        ).exists():
            raise ApiError(53600)


@endpoint("cgi-bin/message/custom/send", privilege="custom")
def custom_send(call: Call):
    body = call.json()
    touser = call.field("touser")
    msgtype = call.field("msgtype")
    _check_custom(call, body, msgtype)
    use_window(call.account, touser, call.now)
    SimPhoneItem.objects.create(
        account=call.account,
        openid=touser,
        direction=Direction.DOWN,
        source=ItemSource.CUSTOM,
        payload=custom_payload(call.account, body),
        created_at=call.now,
        visible_at=call.now,
    )
    return ok()


@endpoint("cgi-bin/message/custom/typing", privilege="custom")
def custom_typing(call: Call):
    touser = call.field("touser")
    if call.field("command") not in {"Typing", "CancelTyping"}:
        raise ApiError(40035, "command")
    follower = SimFollower.objects.filter(account=call.account, openid=touser).first()
    if follower is None:
        raise ApiError(40003)
    if not follower.subscribed:
        raise ApiError(45015)
    return ok()
