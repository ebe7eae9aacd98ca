"""Compact before/after display for audit entries."""

from __future__ import annotations

import json

from django import template
from django.utils.translation import gettext as _

from zhengwei.audit import forms, labels

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


def _value(entry, key: str, values: dict) -> dict | None:
    """The value as recorded, with a choice's label (已接收, not ``received``); a structured value
    (a menu, a list) is data, shown as the record keeps it and marked as such (``code``)."""
    if key not in values:
        return None
    value = labels.value_label(entry.object_type, key, values[key])
    return {"text": _text(value), "code": isinstance(value, dict | list)}


@register.filter
def audit_changes(entry) -> dict:
    """One row per key, its value before and after (either may be missing); at most MAX_ROWS."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        rows.append(
            {
                "key": labels.field_label(entry.object_type, key),
                "before": _value(entry, key, before),
                "after": _value(entry, key, after),
            }
        )
    for label, value in ((_("Before"), entry.before), (_("After"), entry.after)):
        if value not in (None, {}) and not isinstance(value, dict):
            rows.append(
                {"key": label, "before": None, "after": {"text": _text(value), "code": True}}
            )
    return {"rows": rows[:MAX_ROWS], "more": max(0, len(rows) - MAX_ROWS)}


@register.filter
def pretty_json(value) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@register.filter
def outcome_label(value: str) -> str:
    return forms.outcome_label(value)


@register.filter
def actor_label(actor_name: str) -> str:
    return labels.actor_label(actor_name)


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code)


@register.filter
def object_type_label(object_type: str) -> str:
    return labels.object_type_label(object_type)


@register.filter
def audit_object(entry) -> str:
    return labels.object_label(entry.object_type, entry.object_id, entry.object_repr)
