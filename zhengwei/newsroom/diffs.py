"""Character-level differences between two revisions, readable for Chinese text.

diff-match-patch compares character by character (Chinese has no spaces to split words on),
then ``diff_cleanupSemantic`` merges the fragments into runs a reader takes in at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from zhengwei.newsroom.sanitize import text_of

INSERT, DELETE, EQUAL = 1, -1, 0


def diff_html(old: str, new: str) -> SafeString:
    engine = diff_match_patch()
    engine.Diff_Timeout = 2.0
    diffs = engine.diff_main(old or "", new or "")
    engine.diff_cleanupSemantic(diffs)
    parts = []
    for op, text in diffs:
        text = escape(text).replace("\n", "<br>")
        if op == INSERT:
            parts.append(f'<ins class="zw-ins">{text}</ins>')
        elif op == DELETE:
            parts.append(f'<del class="zw-del">{text}</del>')
        else:
            parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308  (every fragment escaped above)


@dataclass
class FieldDiff:
    label: str
    changed: bool
    html: SafeString


def revision_diff(a, b) -> list[FieldDiff]:
    """Field by field, title, author, digest and body text, from revision ``a`` to ``b``."""
    pairs = [
        (_("Title"), a.title, b.title),
        (_("Author"), a.author, b.author),
        (_("Digest"), a.digest, b.digest),
        (_("Body"), text_of(a.body_html), text_of(b.body_html)),
    ]
    return [FieldDiff(label, old != new, diff_html(old, new)) for label, old, new in pairs]
