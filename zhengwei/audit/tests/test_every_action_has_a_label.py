"""Every audit code the code base records has a Chinese label in the one registry, and every
object type and recorded field a Chinese name (issue #7): people read 驳回灾情报告, 灾情报告 and
状态, never ``report.reject``, ``reports.report`` or ``state``; the codes stay beside the labels
for the auditor."""

from __future__ import annotations

import re

from django.utils import translation

from zhengwei.audit import labels
from zhengwei.testing.audit_codes import NOT_MODELS, model_fields, recorded, recorded_fields

CHINESE = re.compile(r"[\u4e00-\u9fff]")
WECHATS_OWN_TERMS = {"AppID"}  # what the WeChat platform itself calls it


def test_every_recorded_audit_code_has_a_registered_chinese_label():
    codes = recorded().codes
    assert {"report.reject", "auth.sign_in", "outbound_message.sent"} <= codes
    unlabelled = sorted(c for c in codes if c not in labels.ACTION_LABELS)
    assert not unlabelled, f"add to zhengwei/audit/labels.py (or register_actions): {unlabelled}"
    with translation.override("zh-hans"):
        english = sorted(c for c in codes if not CHINESE.search(labels.action_label(c)))
    assert not english, f"translate these labels: {english}"


def test_every_object_type_has_a_chinese_name():
    types = list(model_fields()) + list(NOT_MODELS)
    with translation.override("zh-hans"):
        english = [t for t in types if not CHINESE.search(labels.object_type_label(t))]
    assert len(types) > 80 and not english, f"object types without a Chinese name: {english}"


def test_every_field_and_key_an_entry_records_has_a_chinese_name():
    found = recorded()
    assert {"level", "role"} <= found.keys and "priority" in found.fields["reports"]
    shown = recorded_fields()
    assert ("reports.report", "priority") in shown and ("http", "level") in shown
    with translation.override("zh-hans"):
        english = sorted(
            f"{t}.{name}"
            for t, name in shown
            if not CHINESE.search(labels.field_label(t, name))
            and labels.field_label(t, name) not in WECHATS_OWN_TERMS
        )
    assert not english, f"without a Chinese name (verbose_name, or labels.FIELD_LABELS): {english}"
