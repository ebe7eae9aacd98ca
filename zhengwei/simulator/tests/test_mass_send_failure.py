"""A mass send can fail the way WeChat's review fails one: accepted (errcode 0, a msg_id), then
MASSSENDJOBFINISH with ``err(10001)`` and nothing on any phone. Three ways to ask for it: a marker
in an article's title or the text, the switch on the simulator's page (the next send, once), and
``fail_all`` in SIMULATOR_LIMITS."""

import pytest
from django.urls import reverse

from zhengwei.lib.wxxml import parse_message
from zhengwei.simulator.models import ItemSource, SimArticle, SimDelivery, SimPhoneItem
from zhengwei.simulator.tests.test_mass_send_quota import sendall

pytestmark = pytest.mark.django_db(databases="__all__")


def finish_event():
    delivery = SimDelivery.objects.filter(event="MASSSENDJOBFINISH").latest("id")
    return parse_message(delivery.xml.encode())


def test_a_title_with_the_marker_is_accepted_then_finishes_with_err_10001(api, draft):
    result = sendall(api, draft("台风防御指引[[sim:fail]]"))
    assert result["errcode"] == 0 and result["msg_id"]
    message = finish_event()
    event = message.fields
    assert event["Status"] == "err(10001)" and message.msg_id == str(result["msg_id"])
    assert event["SentCount"] == "0" and event["ErrorCount"] == event["FilterCount"] == "3"
    assert "ArticleUrlResult" not in event
    assert not SimPhoneItem.objects.filter(source=ItemSource.MASS).exists()
    assert not SimArticle.objects.exists()
    status = api.post("cgi-bin/message/mass/get", {"msg_id": result["msg_id"]})["msg_status"]
    assert status == "SEND_FAIL"


def test_the_switch_on_the_simulators_page_fails_the_next_send_only(api, draft, account, client):
    page = client.get(reverse("simulator:index"))
    assert 'data-testid="sim-mass-failure"' in page.text
    client.post(
        reverse("simulator:mass_failure"), {"account": account.original_id, "status": "err(20013)"}
    )
    assert 'data-testid="sim-mass-fail-armed"' in client.get(reverse("simulator:index")).text
    assert sendall(api, draft("第一次"))["errcode"] == 0
    assert finish_event().fields["Status"] == "err(20013)"
    # A failed send spends no quota and its key is remembered: the corrected push, with a new
    # key, goes out the same day, once.
    again = sendall(api, draft("第二次"), clientmsgid="retry-1")
    assert again["errcode"] == 0 and finish_event().fields["Status"] == "send success"
    assert SimPhoneItem.objects.filter(source=ItemSource.MASS).count() == 3
    assert sendall(api, draft("第二次"), clientmsgid="retry-1")["errcode"] == 45065


def test_a_failed_send_spends_the_quota_when_configured_so(api, draft, settings):
    settings.SIMULATOR_LIMITS = {
        **settings.SIMULATOR_LIMITS,
        "mass": {"delay_seconds": 0, "failed_uses_quota": True},
    }
    sendall(api, text="预警[[sim:fail]]")
    assert finish_event().fields["Status"] == "err(10001)"
    assert sendall(api, text="预警（更正）")["errcode"] == 45028


def test_fail_all_fails_every_mass_send_with_the_configured_status(api, draft, settings):
    settings.SIMULATOR_LIMITS = {
        **settings.SIMULATOR_LIMITS,
        "mass": {"delay_seconds": 0, "fail_all": True, "fail_status": "send fail"},
    }
    assert sendall(api, draft("普通标题"))["errcode"] == 0
    assert finish_event().fields["Status"] == "send fail"
