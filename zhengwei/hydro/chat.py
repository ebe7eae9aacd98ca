"""Flood answers in WeChat chat, plugged into the inbound dispatch registry.

Passive replies (instant, one indexed read of the current snapshot, no writes):

* text with a keyword — 雨情/雨量 (rain), 水情/水位/水库 (water), 台风 (typhoon), 预警/响应
  (warnings and emergency responses), 汛情 (all of it, briefly);
* text naming a county or city and nothing else but such words ("永泰", "连江县雨情"): that
  area's wettest gauges, its level stations and the warnings and responses in force there;
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

import functools
import logging
import re
from dataclasses import dataclass

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
    place = place_of(parsed.content or "")
    if place is not None:
        return answers.area(snapshot.current(), place.code, place.name, _link("hydro:live"))
    topic = topic_of(parsed.content or "")
    return answer(topic) if topic else None


# What may stand around a keyword in a bare query ("今天雨情怎么样？"); anything else ("地下车库进水了，
# 水位还在涨") is a message for a person even though it was answered with the data too.
QUERY_FILLER = re.compile(
    r"[\s\d,.!?;:，。！？；：、~～]|查询|查看|请问|今天|今日|现在|目前|最新|实时|的|情况|怎么样|如何|多少|呢|吗"
)


def _without_keywords(text: str) -> str:
    for words, _topic in KEYWORDS:
        for word in words:
            text = text.replace(word, "")
    return QUERY_FILLER.sub("", text)


@dataclass(frozen=True)
class Place:
    code: str  # a county's 行政区划码, or a city's (ends in 00)
    name: str


@functools.lru_cache(maxsize=1)
def _place_names() -> dict[str, Place]:
    """Every county and city by its name and its short name (永泰县 and 永泰, 福州市 and 福州)."""
    names: dict[str, Place] = {}
    for county in geo.counties():
        city_code = county.code[:4] + "00"
        for area_code, area_name in ((county.code, county.name), (city_code, county.city)):
            if not area_name:
                continue
            place = Place(area_code, area_name)
            names.setdefault(area_name, place)
            if area_name[-1] in "县区市" and len(area_name) > 2:
                names.setdefault(area_name[:-1], place)
    return names


def place_of(text: str) -> Place | None:
    """The county or city a short message names and nothing else ("永泰", "连江县雨情",
    "福州水位怎么样")."""
    said = (text or "").strip()
    if not said or len(said) > MAX_QUERY_CHARS:
        return None
    return _place_names().get(_without_keywords(said))


def is_bare_query(text: str) -> bool:
    said = (text or "").strip()
    if topic_of(said) is None and place_of(said) is None:
        return False
    return _without_keywords(said) == "" or place_of(said) is not None


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
