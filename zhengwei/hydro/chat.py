"""Flood answers in WeChat chat, plugged into the inbound dispatch registry.

Passive replies (instant, one indexed read of the current snapshot, no writes):

* text with a keyword — 雨情/雨量 (rain), 水情/水位/水库 (water), 台风 (typhoon), 预警/响应
  (warnings and emergency responses), 汛情 (all of it, briefly);
* a CLICK on the 「汛情实况」 menu's keys (FLOOD_TODAY, RAIN_WATER, TYPHOON), unless the account
  has its own click reply for that key (those are asked first);
* a location message: the nearest stations' rain and levels, and the warnings and response
  levels in force for its county.

The account's own keyword replies (wechat.inbound.replies) are asked before these, so an office
can override an answer; the app is listed before zhengwei.interactions so a shared location gets
the data answer rather than only the report intake's receipt (the intake still opens its draft).
An answered keyword query is *settled* (``dispatch.settles``): the 互动 inbox leaves it out.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.urls import reverse

from zhengwei.hydro import answers
from zhengwei.hydro.services import snapshot
from zhengwei.reports import geo
from zhengwei.wechat.inbound.dispatch import passive, settles

log = logging.getLogger("zhengwei.hydro.chat")

KEYWORDS = (
    (("雨情", "雨量", "降雨"), "rain"),
    (("水情", "水位", "水库", "河道"), "water"),
    (("台风",), "typhoon"),
    (("预警", "响应"), "warnings"),
    (("汛情",), "all"),
)
MENU_KEYS = {"FLOOD_TODAY": "all", "RAIN_WATER": "rain_water", "TYPHOON": "typhoon"}
# Longer texts are questions for a person (the 互动 inbox), not keyword queries.
MAX_QUERY_CHARS = 20


def _link(name: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse(name)


def answer(topic: str) -> str:
    data = snapshot.current()
    if topic == "rain":
        return answers.rain(data, _link("hydro:live_rain"))
    if topic == "water":
        return answers.water(data, _link("hydro:live_water"))
    if topic == "typhoon":
        return answers.typhoon(data, _link("hydro:live_typhoon"))
    if topic == "warnings":
        return answers.warnings(data, _link("hydro:live"))
    if topic == "rain_water":
        return "\n".join(
            (
                answers.rain(data, _link("hydro:live_rain")),
                answers.water(data, _link("hydro:live_water")),
            )
        )
    return "\n".join(
        (
            answers.typhoon(data, _link("hydro:live_typhoon")) if data.get("typhoons") else "",
            answers.rain(data, _link("hydro:live_rain")),
            answers.water(data, _link("hydro:live_water")),
            answers.warnings(data, _link("hydro:live")),
        )
    ).strip()


def topic_of(text: str) -> str | None:
    said = (text or "").strip()
    if not said or len(said) > MAX_QUERY_CHARS:
        return None
    for words, topic in KEYWORDS:
        if any(word in said for word in words):
            return topic
    return None


@passive("text")
def keyword_answer(parsed) -> str | None:
    topic = topic_of(parsed.content or "")
    return answer(topic) if topic else None


# What may stand around a keyword in a bare query ("今天雨情怎么样？"); anything else ("地下车库进水了，
# 水位还在涨") is a message for a person even though it was answered with the data too.
QUERY_FILLER = re.compile(
    r"[\s\d,.!?;:，。！？；：、~～]|查询|查看|请问|今天|今日|现在|目前|最新|实时|的|情况|怎么样|如何|多少|呢|吗"
)


def is_bare_query(text: str) -> bool:
    said = (text or "").strip()
    if topic_of(said) is None:
        return False
    for words, _topic in KEYWORDS:
        for word in words:
            said = said.replace(word, "")
    return QUERY_FILLER.sub("", said) == ""


@settles("text")
def keyword_answered(message) -> bool:
    """A bare keyword query answered in the passive reply (ours, or the office's own keyword
    reply for the same word) needs no person: it stays out of the 互动 inbox."""
    return is_bare_query(message.field("Content"))


@passive("click")
def menu_answer(parsed) -> str | None:
    topic = MENU_KEYS.get(parsed.event_key or "")
    return answer(topic) if topic else None


@passive("location")
def location_answer(parsed) -> str | None:
    if parsed.kind != "message":  # the periodic LOCATION event is not a question
        return None
    try:
        lat = float(parsed.fields.get("Location_X"))
        lng = float(parsed.fields.get("Location_Y"))
    except (TypeError, ValueError):
        return None
    data = snapshot.current()
    if not data.get("at"):  # no flood data: leave the answer to the report intake
        return None
    # WeChat's location messages are GCJ-02; stations are stored in WGS-84.
    lng, lat = geo.to_wgs84(lng, lat, geo.Datum.GCJ02)
    county = next((c for c in geo.counties() if c.contains(lng, lat)), None)
    return answers.location(
        data,
        lat,
        lng,
        county.code if county else "",
        county.name if county else "",
        _link("hydro:live"),
    )
