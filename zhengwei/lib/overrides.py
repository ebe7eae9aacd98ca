"""Defaults with an operator's override merged over them key by key.

Used for the platform limits (``WECHAT_LIMITS``, ``SIMULATOR_LIMITS``): the override is a dict or
a JSON object in a string, and nested dicts are merged rather than replaced.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def merge(base: dict, override: dict) -> dict:
    """A deep copy of ``base`` with ``override`` merged over it; nested dicts merge key by key."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def with_override(defaults: dict, override: Any, *, name: str) -> dict[str, Any]:
    """``defaults`` with ``override`` (a dict, a JSON object in a string, or empty) merged over
    them. ``name`` (the setting) is what the error names when the override is not an object."""
    override = override or {}
    if isinstance(override, str):
        try:
            override = json.loads(override)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(override, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object")
    return merge(defaults, override)
