"""Followers (brief wechat.md §3.10): no nickname or avatar since 2021-12-27."""

from __future__ import annotations

from zhengwei.simulator.api import Call, endpoint
from zhengwei.simulator.errors import ApiError
from zhengwei.simulator.models import SimFollower


def user_info(follower: SimFollower) -> dict:
    if not follower.subscribed:
        return {"subscribe": 0, "openid": follower.openid}
    return {
        "subscribe": 1,
        "openid": follower.openid,
        "language": "zh_CN",
        "subscribe_time": int(follower.subscribe_time.timestamp())
        if follower.subscribe_time
        else 0,
        "remark": follower.remark,
        "groupid": 0,
        "tagid_list": list(follower.tagid_list or []),
        "subscribe_scene": follower.subscribe_scene,
        "qr_scene": 0,
        "qr_scene_str": "",
    }


@endpoint("cgi-bin/user/info", methods=("GET", "POST"), privilege="user")
def info(call: Call):
    follower = SimFollower.objects.filter(
        account=call.account, openid=call.query("openid") or "-"
    ).first()
    if follower is None:
        raise ApiError(40003)
    return user_info(follower)


@endpoint("cgi-bin/user/info/batchget", privilege="user")
def info_batchget(call: Call):
    wanted = call.field("user_list", list)
    if not 1 <= len(wanted) <= 100:
        raise ApiError(40035, "user_list holds 1..100 entries")
    openids = [str(u.get("openid")) for u in wanted if isinstance(u, dict)]
    found = {
        f.openid: f for f in SimFollower.objects.filter(account=call.account, openid__in=openids)
    }
    if len(found) != len(set(openids)):
        raise ApiError(40003)
    return {"user_info_list": [user_info(found[o]) for o in openids]}


@endpoint("cgi-bin/user/get", methods=("GET", "POST"), privilege="user")
def get(call: Call):
    followers = SimFollower.objects.filter(account=call.account, subscribed=True).order_by("id")
    total = followers.count()
    after = call.query("next_openid")
    if after:
        anchor = followers.filter(openid=after).values_list("id", flat=True).first()
        if anchor is None:
            raise ApiError(40003, "next_openid")
        followers = followers.filter(id__gt=anchor)
    page = list(followers.values_list("openid", flat=True)[: call.limits["users"]["get_page"]])
    result = {"total": total, "count": len(page), "next_openid": page[-1] if page else ""}
    if page:
        result["data"] = {"openid": page}
    return result
