"""The console says what happened: a reply beyond the 48-hour window is queued, not "sent"; one
definition of 尚未受理 on the console and the dashboard."""

import pytest

from zhengwei.duty import selectors
from zhengwei.reports import services
from zhengwei.reports.models import Channel, Hazard
from zhengwei.wechat.outbound.models import OutboundMessage, OutboundState

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db(transaction=True)
def test_a_reply_beyond_the_window_is_said_to_be_queued_with_the_count(
    world, client_for, new_report
):
    # Committed as in production: the reply's message exists when the console answers.
    report = new_report(openid="oNoWindow")  # the citizen's window was never opened
    client = client_for(world["duty_officer"])
    response = client.post(
        f"/duty/reports/{report.ticket}/reply/", {"text": "抢险队已出发。"}, **HTMX
    )
    html = response.content.decode()
    assert "已发送" not in html
    assert "已排队" in html and "群众再次发消息后自动发出" in html
    waiting = OutboundMessage.objects.filter(
        reference=f"report:{report.pk}", state=OutboundState.WAITING_WINDOW
    ).count()
    assert waiting == 2  # the ticket number and the reply
    assert f"{waiting} 条" in html
    console = client.get("/duty/").content.decode()
    assert 'data-testid="waiting"' in console


def test_the_console_and_the_dashboard_count_the_same_unacknowledged_reports(world, new_report):
    new_report(openid="oA")
    new_report(openid="oB")
    services.report_receive(  # entered by a county unit: nobody on the duty desk has taken it up
        actor=world["unit_officer"],
        account=world.account,
        channel=Channel.UNIT,
        hazard=Hazard.LANDSLIDE,
        description="山体滑坡",
        lat=26.0612,
        lng=119.1952,
    )
    services.report_receive(  # a phone call: the officer who entered it took it up
        actor=world["duty_officer"],
        account=world.account,
        channel=Channel.PHONE,
        hazard=Hazard.WATERLOGGING,
        phone="13800001111",
    )
    head = selectors.headline(user=world["duty_officer"], account=world.account)
    board = selectors.dashboard(user=world["duty_leader"], account=world.account, days=7)
    assert head["unacknowledged"] == board["not_yet_acknowledged"] == 3
