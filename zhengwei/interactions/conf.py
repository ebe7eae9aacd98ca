"""Settings of citizen interaction, read at call time (tests change them) with their defaults.

REPORT_CHAT_WINDOW_MINUTES   messages of one citizen this close together build one chat draft (30)
REPORT_CHAT_MENU_KEYS        CLICK keys of the 「我报灾情」 menu button (REPORT, the demo menu's key)
REPORT_RATING_WINDOW_HOURS   how long a "1".."5" reply counts as the rating asked for (48)
INTERACTION_DEADLINES        JSON merged over DEFAULT_DEADLINES, minutes per category:
                             '{"complaint": {"first_response": 60}}'
PUBLIC_URL                   the site's address, for links sent in chat (H5 form, status page)
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Minutes: first response by a person, and resolution (接诉即办 style, per class).
DEFAULT_DEADLINES: dict[str, dict[str, int]] = {
    "disaster": {"first_response": 30, "resolution": 2 * 60},
    "complaint": {"first_response": 2 * 60, "resolution": 3 * 24 * 60},
    "inquiry": {"first_response": 4 * 60, "resolution": 24 * 60},
    "suggestion": {"first_response": 24 * 60, "resolution": 7 * 24 * 60},
    "other": {"first_response": 24 * 60, "resolution": 7 * 24 * 60},
}

CONFIRM_WORDS = ("确认", "提交", "确认提交", "提交报告", "确定", "确定提交")
CANCEL_WORDS = ("取消", "取消报告", "放弃")
START_WORDS = ("我报灾情", "报灾", "报告灾情", "我要报灾", "灾情报告")
REJECT_WORDS = ("不满意", "没解决", "没有解决", "未解决", "问题没解决")


def chat_window() -> timedelta:
    return timedelta(minutes=settings.REPORT_CHAT_WINDOW_MINUTES)


def rating_window() -> timedelta:
    return timedelta(hours=settings.REPORT_RATING_WINDOW_HOURS)


def menu_keys() -> set[str]:
    keys = settings.REPORT_CHAT_MENU_KEYS
    return {k.strip() for k in keys if k and k.strip()}


def public_url() -> str:
    base = settings.PUBLIC_URL or "http://localhost:8000"
    return base.rstrip("/")


def absolute(path: str) -> str:
    return public_url() + path


def deadlines() -> dict[str, dict[str, int]]:
    raw = settings.INTERACTION_DEADLINES or ""
    merged = {k: dict(v) for k, v in DEFAULT_DEADLINES.items()}
    if not raw:
        return merged
    try:
        override = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise ImproperlyConfigured(f"INTERACTION_DEADLINES is not JSON: {exc}") from None
    if not isinstance(override, dict):
        raise ImproperlyConfigured("INTERACTION_DEADLINES must be a JSON object")
    for category, values in override.items():
        if category not in merged or not isinstance(values, dict):
            raise ImproperlyConfigured(f"INTERACTION_DEADLINES: unknown category {category!r}")
        for key, minutes in values.items():
            if key not in ("first_response", "resolution") or not isinstance(minutes, int):
                raise ImproperlyConfigured(f"INTERACTION_DEADLINES: bad {category}.{key}")
            if minutes < 1:
                raise ImproperlyConfigured(f"INTERACTION_DEADLINES: {category}.{key} < 1")
            merged[category][key] = minutes
    return merged


def deadline(category: str, which: str) -> timedelta:
    table = deadlines()
    return timedelta(minutes=table.get(category, table["other"])[which])
