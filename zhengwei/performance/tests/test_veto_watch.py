"""The veto watch: amber before the 14-day rule bites, the veto at 14 days, and alerts that clear
themselves."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from zhengwei.performance import services
from zhengwei.performance.models import AlertLevel, MenuProbe, VetoAlert, VetoCondition
from zhengwei.performance.tests.history import NOW, at, conversation, publish

pytestmark = pytest.mark.django_db


def _open(account):
    return {
        (a.condition, a.level)
        for a in VetoAlert.objects.filter(account=account, cleared_at__isnull=True)
    }


def test_seven_days_without_a_post_is_amber_and_fourteen_a_veto(world):
    account = world.account
    publish(account, NOW - timedelta(days=8))
    services.veto_watch(now=NOW, accounts=[account])
    assert _open(account) == {(VetoCondition.NO_UPDATE, AlertLevel.AMBER)}
    services.veto_watch(now=NOW + timedelta(days=6), accounts=[account])
    assert _open(account) == {(VetoCondition.NO_UPDATE, AlertLevel.VETO)}
    amber = VetoAlert.objects.get(account=account, level=AlertLevel.AMBER)
    assert amber.cleared_at == NOW + timedelta(days=6)


def test_an_alert_opens_once_and_clears_after_a_post(world):
    account = world.account
    publish(account, NOW - timedelta(days=9))
    services.veto_watch(now=NOW, accounts=[account])
    services.veto_watch(now=NOW + timedelta(hours=1), accounts=[account])
    assert VetoAlert.objects.filter(account=account).count() == 1
    publish(account, NOW + timedelta(hours=2))
    result = services.veto_watch(now=NOW + timedelta(hours=3), accounts=[account])
    assert result == {"opened": 0, "cleared": 1}
    assert _open(account) == set()


def test_messages_without_any_answer_are_a_veto(world):
    account = world.account
    publish(account, NOW - timedelta(days=1))
    conversation(account, NOW - timedelta(days=3))
    services.veto_watch(now=NOW, accounts=[account])
    assert (VetoCondition.NO_INTERACTION, AlertLevel.VETO) in _open(account)


def test_a_link_failing_three_checks_in_a_row_is_a_veto_one_failure_amber(world):
    account = world.account
    publish(account, NOW - timedelta(days=1))
    MenuProbe.objects.create(
        account=account, label="a", url="https://a/", probed_at=NOW - timedelta(hours=1), ok=False
    )
    services.veto_watch(now=NOW, accounts=[account])
    assert (VetoCondition.BROKEN_MENU, AlertLevel.AMBER) in _open(account)
    for d in (1, 2):
        MenuProbe.objects.create(
            account=account,
            label="a",
            url="https://a/",
            probed_at=NOW - timedelta(days=d),
            ok=False,
        )
    services.veto_watch(now=NOW, accounts=[account])
    assert (VetoCondition.BROKEN_MENU, AlertLevel.VETO) in _open(account)


def test_the_tick_probes_the_menu_once_a_day_and_runs_the_watch(world, monkeypatch):
    from zhengwei.performance.services import records
    from zhengwei.wechat.outbound.models import PublishedMenu

    PublishedMenu.objects.create(
        account=world.account,
        json={
            "button": [
                {
                    "name": "汛情",
                    "sub_button": [{"type": "view", "name": "实况", "url": "https://sk.example/"}],
                },
                {"type": "click", "name": "报灾", "key": "REPORT"},
            ]
        },
    )
    calls = []
    monkeypatch.setattr(records, "http_fetch", lambda url: calls.append(url) or (200, ""))
    call_command("performance_tick")
    call_command("performance_tick")
    assert calls == ["https://sk.example/"]
    probe = MenuProbe.objects.get(account=world.account)
    assert probe.ok and probe.label == "汛情/实况"
    assert VetoAlert.objects.filter(
        account=world.account, condition=VetoCondition.NO_UPDATE
    ).exists()


def test_a_recorded_serious_error_is_a_veto_for_30_days(world):
    account = world.account
    publish(account, NOW - timedelta(days=1))
    services.incident_record(
        actor=world["office_reviewer"],
        account=account,
        kind="leak",
        occurred_at=NOW - timedelta(days=2),
        description="正文含手机号",
    )
    services.veto_watch(now=NOW, accounts=[account])
    assert (VetoCondition.SERIOUS_ERROR, AlertLevel.VETO) in _open(account)
    services.veto_watch(now=NOW + timedelta(days=29), accounts=[account])
    assert (VetoCondition.SERIOUS_ERROR, AlertLevel.VETO) not in _open(account)
    assert at  # the history helpers


def test_alerts_are_sent_to_the_office_and_the_contractor(world):
    from zhengwei.notify.models import Notification

    publish(world.account, NOW - timedelta(days=8))
    services.veto_watch(now=NOW, accounts=[world.account])
    got = set(
        Notification.objects.filter(kind="performance.warning").values_list(
            "recipient__username", flat=True
        )
    )
    assert got == {"office_leader", "office_reviewer", "project_manager"}
    assert VetoAlert.objects.get(account=world.account).notified == 3
