"""People see what happened in Chinese, never the audit codes (issue #7); the auditor keeps the
codes beside the labels."""

import pytest
from django.urls import reverse

from zhengwei.audit.labels import action_label, field_label, object_label
from zhengwei.audit.services import audit_record


def test_every_code_the_platform_writes_has_a_chinese_label():
    assert action_label("auth.sign_in") == "登录"
    assert action_label("report.reject") == "驳回灾情报告"
    assert action_label("outbound_message.create") == "生成发给群众的消息"


def test_a_code_nobody_registered_is_composed_from_its_parts_or_shown_as_it_is():
    assert action_label("newsroom.article_publish") == "发布稿件"
    assert action_label("contract.approve") == "审核通过合同"
    assert action_label("something.odd") == "something.odd"


def test_objects_and_fields_are_named_by_their_verbose_names():
    assert object_label("orgs.user", "2", "") == "用户 #2" or object_label(
        "orgs.user", "2", ""
    ).endswith("#2")
    assert "orgs.user" not in object_label("orgs.user", "2", "")
    assert field_label("reports.report", "state") == "状态"
    assert field_label("reports.report", "priority") == "优先级"


@pytest.mark.django_db
def test_the_home_page_and_the_audit_log_show_labels_and_the_auditor_keeps_the_codes(
    world, client_for
):
    auditor = world["auditor"]
    audit_record(actor=auditor, action="auth.sign_in")
    home = client_for(auditor).get(reverse("console:home")).content.decode()
    assert "登录" in home and "auth.sign_in" not in home
    log = client_for(auditor).get(reverse("audit:list")).content.decode()
    assert "登录" in log and "auth.sign_in" in log
