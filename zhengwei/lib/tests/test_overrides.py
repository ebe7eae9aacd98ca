"""An override is merged over the defaults key by key and never changes them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhengwei.lib.overrides import merge, with_override

DEFAULTS = {"quota": {"messages": 5, "window": 60}, "types": ["text"], "retention": 90}


def test_nested_dicts_are_merged_key_by_key():
    merged = merge(DEFAULTS, {"quota": {"messages": 20}})
    assert merged["quota"] == {"messages": 20, "window": 60}
    assert merged["retention"] == 90


def test_other_values_are_replaced_whole():
    merged = merge(DEFAULTS, {"types": ["image"], "retention": {"days": 1}, "new": 1})
    assert merged["types"] == ["image"]
    assert merged["retention"] == {"days": 1}
    assert merged["new"] == 1


def test_the_defaults_are_left_untouched():
    merged = merge(DEFAULTS, {"quota": {"messages": 20}})
    merged["types"].append("voice")
    assert DEFAULTS == {"quota": {"messages": 5, "window": 60}, "types": ["text"], "retention": 90}


@pytest.mark.parametrize("empty", [None, "", {}])
def test_an_empty_override_gives_a_copy_of_the_defaults(empty):
    result = with_override(DEFAULTS, empty, name="ZW_LIMITS")
    assert result == DEFAULTS
    assert result is not DEFAULTS


def test_a_json_string_is_read_as_the_override():
    result = with_override(DEFAULTS, '{"quota": {"window": 30}}', name="ZW_LIMITS")
    assert result["quota"] == {"messages": 5, "window": 30}


def test_malformed_json_names_the_setting():
    with pytest.raises(ImproperlyConfigured, match="ZW_LIMITS is not valid JSON"):
        with_override(DEFAULTS, "{nope", name="ZW_LIMITS")


@pytest.mark.parametrize("value", ["[1, 2]", [1, 2], 5])
def test_an_override_that_is_not_an_object_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="ZW_LIMITS must be a JSON object"):
        with_override(DEFAULTS, value, name="ZW_LIMITS")
