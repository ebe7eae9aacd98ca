"""In a real browser (issue 14, "Done when"): a P0 report nobody acknowledges escalates, at its
acknowledgement deadline, to the duty leader's open console — a banner and the alarm sound,
without a reload — and through the outbound stand-in (SMS, 政务微信, e-mail), whose log shows the
leader was reached; at twice the deadline it reaches the office leader the same way.

The screenshots taken here are the ones docs/guide/duty-console.md and notifications.md show.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from zhengwei.demo.constants import DEMO_PASSWORD
from zhengwei.orgs.models import User
from zhengwei.testing.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]


@pytest.fixture
def stage(live_server, settings, tmp_path):
    from zhengwei.demo import orgs

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFY_OUTBOX_DIR = str(tmp_path / "notify")
    settings.NOTIFY_GATEWAY = "local"
    settings.NOTIFY_POLL_MS = 500
    settings.DUTY_POLL_MS = 500
    orgs.seed(out=lambda m: None)
    return live_server


def _outbox(settings) -> list[dict]:
    path = Path(settings.NOTIFY_OUTBOX_DIR) / "outbox.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _p0_report():
    from zhengwei.demo.constants import ORIGINAL_ID
    from zhengwei.orgs.models import WeChatAccount
    from zhengwei.reports import services
    from zhengwei.reports.actors import Citizen
    from zhengwei.reports.models import Channel, Hazard

    return services.report_receive(
        actor=Citizen(openid="oBrowserEscalation0000000001", proof="wechat"),
        account=WeChatAccount.objects.get(original_id=ORIGINAL_ID),
        channel=Channel.CHAT,
        hazard=Hazard.PEOPLE_TRAPPED,
        lives_in_danger=True,
        description="村里两位老人被困二楼，水已漫到窗户。",
        lat=26.0581,
        lng=119.1866,
    )


def test_an_unacknowledged_p0_report_reaches_the_duty_leaders_open_console_and_phone(
    stage, page, settings
):
    from zhengwei.notify.services import deliveries_send_due
    from zhengwei.reports import services, workflow

    leader = User.objects.get(username="dutylead")
    office_leader = User.objects.get(username="leader")

    # The duty leader has the console open; nothing is urgent yet.
    sign_in(page, "dutylead", DEMO_PASSWORD)
    page.goto("/duty/")
    page.evaluate("window.__sameDocument = true")
    assert page.get_by_test_id("notify-banner").is_hidden()

    report = _p0_report()
    deadline = workflow.ack_deadline("P0")
    assert deadline == timedelta(minutes=2)

    # Nobody acknowledges it. Just before its deadline nothing moves; at the deadline the tick
    # escalates it to the duty leader.
    assert services.reports_escalate_overdue(now=report.created_at + deadline / 2) == []
    assert services.reports_escalate_overdue(
        now=report.created_at + deadline + timedelta(seconds=1)
    ) == [(report.ticket, 1)]

    # The open console shows the banner and sounds the alarm, without a reload.
    banner = page.get_by_test_id("notify-banner")
    banner.locator("[data-notify-item]").first.wait_for(timeout=10_000)
    assert report.ticket in banner.inner_text()
    page.wait_for_function("() => parseInt(document.body.dataset.notifyBeeps || '0', 10) >= 1")
    card = page.locator(f'[data-testid=report-card][data-ticket="{report.ticket}"]')
    card.wait_for(timeout=10_000)
    page.wait_for_function(
        f"() => (document.querySelector('[data-ticket=\"{report.ticket}\"]') || {{}})"
        ".innerText?.includes('已督办至带班领导')"
    )
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "duty-escalation-banner")

    # The stand-in gateway got the SMS, the 政务微信 message and the e-mail for the duty leader
    # (sent by the notify queue; the test's clock is ahead of the wall clock, so the tick at that
    # moment sends them).
    deliveries_send_due(now=report.created_at + deadline + timedelta(seconds=2))
    sent = [m for m in _outbox(settings) if report.ticket in m.get("title", "")]
    reached = {(m["channel"], m["to"]) for m in sent}
    assert ("sms", leader.phone) in reached and ("wecom", leader.username) in reached

    # The delivery log says so too.
    page.goto("/notifications/deliveries/")
    log = page.locator("main").inner_text()
    assert report.ticket in log and "已发送" in log
    screenshot(page, "notify-deliveries")

    # At twice the deadline it reaches the office leader, who has no console open.
    assert services.reports_escalate_overdue(
        now=report.created_at + 2 * deadline + timedelta(seconds=1)
    ) == [(report.ticket, 2)]
    deliveries_send_due(now=report.created_at + 2 * deadline + timedelta(seconds=2))
    sent = [m for m in _outbox(settings) if report.ticket in m.get("title", "")]
    assert ("sms", office_leader.phone) in {(m["channel"], m["to"]) for m in sent}
