"""Compact before/after display for audit entries."""

from __future__ import annotations

import json

from django import template

from zhengwei.audit import forms

register = template.Library()

MAX_VALUE = 80
MAX_ROWS = 4  # in the table; the entry's own page shows everything


def _text(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


@register.filter
def audit_changes(entry) -> dict:
    """One row per key, its value before and after (either may be missing); at most MAX_ROWS."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        rows.append(
            {
                "key": key,
                "before": _text(before[key]) if key in before else None,
                "after": _text(after[key]) if key in after else None,
            }
        )
    for label, value in (("before", entry.before), ("after", entry.after)):
        if value not in (None, {}) and not isinstance(value, dict):
            rows.append({"key": label, "before": None, "after": _text(value)})
    return {"rows": rows[:MAX_ROWS], "more": max(0, len(rows) - MAX_ROWS)}


@register.filter
def pretty_json(value) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@register.filter
def outcome_label(value: str) -> str:
    return forms.outcome_label(value)
