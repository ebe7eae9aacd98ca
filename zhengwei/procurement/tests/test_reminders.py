from datetime import date

from django.core.management import call_command

from zhengwei.procurement.models import Reminder, Step
from zhengwei.procurement.services.reminders import reminders_run
from zhengwei.procurement.tests.flow import run_to


def test_due_reminders_are_sent_once_and_published(world, monkeypatch):
    from zhengwei.procurement.services import reminders

    events = []
    monkeypatch.setattr(
        reminders, "publish_on_commit", lambda name, **kw: events.append((name, kw))
    )
    run_to(world, Step.CONTRACT)  # awarded on 13 March: sign by 12 April
    assert reminders_run(today=date(2026, 3, 20)) == []
    sent = reminders_run(today=date(2026, 4, 9))
    assert [r.kind for r in sent] == ["sign_contract"]
    assert events[0][1]["title"].endswith("签订合同：成交通知书发出之日起30日内")
    assert reminders_run(today=date(2026, 4, 10)) == []
    from zhengwei.notify.models import Notification

    note = Notification.objects.get(recipient=world["procurement_officer"])
    assert "30日内" in note.title and not note.urgent


def test_a_contract_nearing_its_end_gets_a_renewal_reminder(world, settings):
    settings.PROCUREMENT_RENEWAL_NOTICE_DAYS = 90
    case = run_to(world)
    reminders_run(today=date(2026, 12, 1))
    assert not Reminder.objects.filter(kind="renewal").exists()
    reminders_run(today=date(2027, 1, 5))
    assert Reminder.objects.get(kind="renewal").due_on == case.contract.end


def test_the_command_runs(world, capsys):
    call_command("procurement_reminders", "--today", "2026-03-01")
    assert "reminder" in capsys.readouterr().out
