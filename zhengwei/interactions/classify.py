"""Keyword rules for what a citizen wrote (pure: no database).

They only suggest: a person confirms the class of every conversation, and a duty officer sets the
hazard and priority of every report. Rules are checked in order; the first match wins, so the
disaster words come first (a complaint about flooding is, first of all, flooding).
"""

from __future__ import annotations

import re

from zhengwei.interactions.models import Category
from zhengwei.reports.models import Hazard

CATEGORY_RULES: list[tuple[str, tuple[str, ...]]] = [
    (
        Category.DISASTER,
        (
            "积水",
            "内涝",
            "淹",
            "进水",
            "漫水",
            "山洪",
            "洪水",
            "滑坡",
            "泥石流",
            "塌方",
            "坍塌",
            "倒塌",
            "被困",
            "救命",
            "救援",
            "冲毁",
            "冲垮",
            "决堤",
            "溃坝",
            "漫堤",
            "险情",
            "灾情",
            "落石",
            "房屋开裂",
            "水位暴涨",
        ),
    ),
    (
        Category.COMPLAINT,
        ("投诉", "举报", "不满", "态度差", "没人管", "无人管", "不作为", "太慢", "差评", "推诿"),
    ),
    (Category.SUGGESTION, ("建议", "希望", "能否", "能不能", "可否", "意见", "提议")),
    (
        Category.INQUIRY,
        (
            "请问",
            "咨询",
            "吗",
            "？",
            "?",
            "什么时候",
            "哪里",
            "怎么",
            "如何",
            "多少",
            "是否",
            "几点",
            "停课",
            "预警",
            "台风",
        ),
    ),
]

HAZARD_RULES: list[tuple[str, tuple[str, ...]]] = [
    (Hazard.PEOPLE_TRAPPED, ("被困", "救命", "困在", "出不来", "冲走", "失联", "落水")),
    (Hazard.LANDSLIDE, ("滑坡", "泥石流", "塌方", "落石", "山体")),
    (Hazard.FLASH_FLOOD, ("山洪", "溪水暴涨", "河水暴涨", "水位暴涨")),
    (Hazard.HOUSE_DAMAGE, ("房屋", "倒塌", "开裂", "墙体", "屋顶", "危房")),
    # Damage to the road itself; "桥下积水" is waterlogging, so a bare 桥 or 路 does not count.
    (Hazard.ROAD_DAMAGE, ("冲毁", "塌陷", "断路", "路基", "桥梁", "桥断", "道路中断", "公路中断")),
    (Hazard.WATERLOGGING, ("积水", "内涝", "淹", "进水", "漫水", "水深", "排水", "齐腰", "没过")),
]

DANGER_WORDS = ("被困", "救命", "困在", "冲走", "失联", "落水", "生命危险", "有人受伤", "埋")

_PUNCT = re.compile(r"[\s，。！？!?,.、~～…]+")


def normalise(text: str) -> str:
    """Without spaces and punctuation, for keyword comparison (voice recognition adds a 。)."""
    return _PUNCT.sub("", text or "").casefold()


def is_one_of(text: str, words) -> bool:
    said = normalise(text)
    return bool(said) and said in {normalise(w) for w in words}


def starts_with_one_of(text: str, words) -> bool:
    said = normalise(text)
    return bool(said) and any(said.startswith(normalise(w)) for w in words)


def rating_in(text: str) -> int | None:
    """A bare 1..5 (also ５, or "5分" / "5星")."""
    said = normalise(text).translate(str.maketrans("１２３４５", "12345"))
    said = said.removesuffix("分").removesuffix("星")
    return int(said) if said in {"1", "2", "3", "4", "5"} else None


def suggest_category(text: str) -> str:
    for category, words in CATEGORY_RULES:
        if any(w in (text or "") for w in words):
            return category
    return Category.OTHER


def suggest_hazard(text: str) -> str:
    for hazard, words in HAZARD_RULES:
        if any(w in (text or "") for w in words):
            return hazard
    return Hazard.OTHER


def lives_in_danger(text: str) -> bool:
    return any(w in (text or "") for w in DANGER_WORDS)


_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_personal(text: str) -> str:
    """Mobile numbers as 138****1234 and resident ID numbers as 350102********123X."""
    text = _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text or "")
    return _ID.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
