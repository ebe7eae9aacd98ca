"""The hash chain's links depend on the key, the previous link and every byte of the content."""

from zhengwei.lib.hashchain import canonical, link, matches

KEY = b"k" * 32


def test_the_canonical_form_ignores_key_order_and_keeps_chinese():
    assert canonical({"b": 1, "a": "防汛"}) == canonical({"a": "防汛", "b": 1})
    assert "防汛".encode() in canonical({"a": "防汛"})


def test_a_link_changes_with_the_content_the_previous_link_and_the_key():
    base = link(KEY, "prev", {"action": "x"})
    assert len(base) == 64
    assert link(KEY, "prev", {"action": "y"}) != base
    assert link(KEY, "other", {"action": "x"}) != base
    assert link(b"q" * 32, "prev", {"action": "x"}) != base


def test_a_stored_link_matches_only_its_own_content():
    stored = link(KEY, "", {"n": 1})
    assert matches(KEY, "", {"n": 1}, stored)
    assert not matches(KEY, "", {"n": 2}, stored)
