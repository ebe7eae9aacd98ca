import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengwei.wechat.outbound.models import ApiCall

pytestmark = pytest.mark.django_db
URL = reverse("wechat_outbound:api_log")


def _call(account, endpoint, errcode=0, hours_ago=0, error=""):
    return ApiCall.objects.create(
        account=account,
        at=timezone.now() - timedelta(hours=hours_ago),
        method="POST",
        endpoint=endpoint,
        errcode=errcode,
        error=error,
        duration_ms=120,
    )


def test_only_the_auditor_and_the_administrator_see_the_api_log(world, client_for):
    allowed = {r for r, u in world.people.items() if client_for(u).get(URL).status_code == 200}
    assert allowed == {"auditor", "system_admin"}
    for role in set(world.people) - allowed:
        assert client_for(world[role]).get(URL).status_code == 403
    assert client_for(world.outsider).get(f"{URL}?account={world.account.pk}").status_code == 403


def test_the_log_lists_filters_and_charts_the_calls(world, client_for):
    _call(world.account, "/cgi-bin/menu/create")
    _call(world.account, "/cgi-bin/message/custom/send", errcode=45015, hours_ago=2)
    _call(world.account, "/cgi-bin/stable_token", errcode=None, hours_ago=3, error="ReadTimeout")
    _call(world.account, "/cgi-bin/menu/get", hours_ago=100)  # outside the chart's 48 hours
    client = client_for(world["auditor"])
    response = client.get(URL)
    page = response.content.decode()
    assert "/cgi-bin/message/custom/send" in page and "ReadTimeout" in page
    chart = response.context["chart"]
    assert len(chart["hours"]) == 48 and sum(chart["calls"]) == 3 and sum(chart["errors"]) == 2
    assert json.loads(
        page.split('id="wx-api-chart-data" type="application/json">')[1].split("<")[0]
    )

    failed = client.get(URL, {"outcome": "error"}).context["page"]
    assert {c.endpoint for c in failed} == {"/cgi-bin/message/custom/send", "/cgi-bin/stable_token"}
    by_code = client.get(URL, {"errcode": "45015"}).context["page"]
    assert [c.errcode for c in by_code] == [45015]
    by_endpoint = client.get(URL, {"endpoint": "/cgi-bin/menu/create"}).context["page"]
    assert [c.endpoint for c in by_endpoint] == ["/cgi-bin/menu/create"]
    since = (timezone.localtime() - timedelta(hours=50)).strftime("%Y-%m-%dT%H:%M")
    assert client.get(URL, {"since": since}).context["page"].paginator.count == 3


def test_the_log_is_paginated(world, client_for):
    for n in range(55):
        _call(world.account, f"/cgi-bin/x{n}")
    client = client_for(world["system_admin"])
    assert len(client.get(URL).context["page"]) == 50
    assert len(client.get(URL, {"page": 2}).context["page"]) == 5


def test_calls_of_another_account_are_not_shown(world, client_for):
    from zhengwei.testing.factories import WeChatAccountFactory

    _call(WeChatAccountFactory(), "/cgi-bin/elsewhere")
    _call(world.account, "/cgi-bin/here")
    page = client_for(world["auditor"]).get(URL).content.decode()
    assert "/cgi-bin/here" in page
    assert "/cgi-bin/elsewhere" not in page
