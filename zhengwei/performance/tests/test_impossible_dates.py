"""A date that is not one (2026-13-45) in a performance form or filter is explained on the page,
never a server error, and nothing is recorded."""

import pytest

from zhengwei.performance.models import Incident, RegistryFiling

pytestmark = pytest.mark.django_db
BAD = "2026-13-45"


def test_an_incident_with_an_impossible_date_is_refused_with_the_date_format(world, client_for):
    response = client_for(world["office_reviewer"]).post(
        "/performance/incidents/",
        {
            "account": world.account.pk,
            "kind": "serious_error",
            "occurred_at": BAD,
            "description": "x",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "2026-11-26" in response.content.decode()  # the message shows the expected format
    assert not Incident.objects.exists()


def test_a_filing_with_an_impossible_date_is_refused_with_the_date_format(world, client_for):
    response = client_for(world["office_reviewer"]).post(
        "/performance/records/",
        {
            "account": world.account.pk,
            "form": "filing",
            "filed_on": BAD,
            "registry_number": "闽-0001",
            "registered_name": "福建防汛",
            "registered_owner": "省防汛办",
            "platform": "wechat",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "2026-11-26" in response.content.decode()
    assert not RegistryFiling.objects.exists()


@pytest.mark.parametrize("path", ["evidence", "model-change"])
def test_a_filter_with_an_impossible_date_falls_back_to_the_default_period(world, client_for, path):
    query = f"account={world.account.pk}&code=reads&start={BAD}&end={BAD}&on={BAD}"
    response = client_for(world["office_reviewer"]).get(f"/performance/{path}/?{query}")
    assert response.status_code == 200
    assert world.account.name in response.content.decode()
