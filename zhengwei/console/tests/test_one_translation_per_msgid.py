"""One English msgid, one Chinese text across every app's catalogue (issue #7).

Django merges the apps' catalogues into one at run time and the first app in INSTALLED_APPS wins,
so a msgid translated differently in two apps shows one app's wording on the other's pages (the
report's 已督办 became 升级). A word with two meanings takes a context (``pgettext``) instead;
one term per idea follows ../shared/brief/glossary.md (灾情报告, 值班员, 受理, 分派, 办结, 督办).
"""

from __future__ import annotations

import gettext
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Same English word, different meanings in different apps: each still needs a context in the
# app that means something else. Only ever shrinks: the test fails when one is settled.
NEEDS_A_CONTEXT: set[str] = set()


def translations() -> dict[str, dict[str, str]]:
    """msgid (with its context, if any) → {app: Chinese text}, from the compiled catalogues."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for mo in sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo")):
        app = str(mo.parent.parent.parent.parent.relative_to(ROOT.parent))
        with mo.open("rb") as fh:
            catalogue = gettext.GNUTranslations(fh)._catalog
        for key, text in catalogue.items():
            msgid = key if isinstance(key, str) else key[0]  # plural entries: (msgid, n)
            if msgid:
                found[msgid][app] = text
    return found


def test_every_msgid_has_one_translation_in_every_catalogue():
    found = translations()
    assert len(found) > 1000 and "灾情" in "".join(found.get("Reports received", {}).values())
    differing = {m: apps for m, apps in found.items() if len(set(apps.values())) > 1}
    new = {m: apps for m, apps in differing.items() if m not in NEEDS_A_CONTEXT}
    assert not new, "\n".join(f"{m!r}: {apps}" for m, apps in sorted(new.items()))
    settled = sorted(NEEDS_A_CONTEXT - set(differing))
    assert not settled, f"translated alike now, remove from NEEDS_A_CONTEXT: {settled}"


def test_the_citizens_words_follow_the_glossary():
    found = translations()
    assert set(found["Escalated"].values()) == {"已督办"}
    assert set(found["A duty officer is being alerted now."].values()) == {"已立即通知值班员。"}
    assert set(found["Resolved"].values()) == {"已办结"}
