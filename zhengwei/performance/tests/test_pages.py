"""The performance pages, as each side sees them."""

from datetime import date

import pytest

from zhengwei.performance import services
from zhengwei.performance.models import Incident, ItemStatus
from zhengwei.performance.tests.history import NOW, november

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world, table):
    november(world.account)
    return services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 15),
        now=NOW,
        table=table,
    )


def test_the_office_sees_every_account_ranked_with_links_to_the_evidence(world, client_for):
    november(world.account)
    response = client_for(world["office_leader"]).get("/performance/?month=2026-11")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="overview-row"' in body and world.account.name in body
    assert "&code=days_since_last_post&start=2026-11-01&end=2026-12-01" in body


def test_the_contractor_manager_sees_the_figures_but_editors_and_units_do_not(world, client_for):
    assert client_for(world["project_manager"]).get("/performance/").status_code == 200
    assert client_for(world["editor"]).get("/performance/").status_code == 403
    assert client_for(world["unit_officer"]).get("/performance/").status_code == 403


def test_the_scorecard_page_shows_the_score_the_veto_and_each_value_links_to_its_records(
    world, client_for, card
):
    response = client_for(world["office_reviewer"]).get(f"/performance/scorecards/{card.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="scorecard-total">59.0<' in body
    assert 'data-testid="veto-note"' in body
    assert 'data-testid="evidence-follower_net_growth"' in body
    assert 'data-testid="dispute-original_ratio"' in body


def test_another_office_cannot_open_the_scorecard(world, client_for, card):
    assert client_for(world.outsider).get(f"/performance/scorecards/{card.pk}/").status_code == 403


def test_dispute_and_response_through_the_pages(world, client_for, card):
    item = card.items.get(code="original_ratio")
    client = client_for(world["office_reviewer"])
    client.post(f"/performance/items/{item.pk}/dispute/", {"comment": "原创标注存疑"})
    item.refresh_from_db()
    assert item.status == ItemStatus.DISPUTED
    client = client_for(world["project_manager"])
    page = client.get(f"/performance/scorecards/{card.pk}/").content.decode()
    assert 'data-testid="respond-original_ratio"' in page
    client.post(f"/performance/items/{item.pk}/respond/", {"comment": "见稿件原创声明"})
    item.refresh_from_db()
    assert item.status == ItemStatus.RESPONDED
    # Disputing again is refused with a message, nothing changes.
    response = client_for(world["office_reviewer"]).post(
        f"/performance/items/{item.pk}/dispute/", {"comment": "再议"}, follow=True
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.RESPONDED
    assert "This item" in response.content.decode() or "已" in response.content.decode()


def test_computing_from_the_page_without_a_contract_says_why(world, client_for):
    response = client_for(world["office_reviewer"]).post(
        "/performance/scorecards/",
        {"account": world.account.pk, "period": "month", "month": "2026-11"},
        follow=True,
    )
    assert response.status_code == 200
    assert 'data-testid="scorecard-list"' in response.content.decode()
    assert "测试运营合同" not in response.content.decode()


def test_the_evidence_of_follower_growth_shows_missing_days_as_missing(world, client_for):
    november(world.account)
    response = client_for(world["office_leader"]).get(
        f"/performance/evidence/?account={world.account.pk}&code=follower_net_growth&start=2026-11-01&end=2026-12-01"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="evidence-rows"' in body
    assert "2026-11-15" in body
    # 27 stored days and three missing ones (the 15th, 29th and 30th), never zero.
    assert body.count("<td>2026-11-") == 30


def test_the_evidence_of_messages_has_no_citizen_text(world, client_for):
    november(world.account)
    response = client_for(world["project_manager"]).get(
        f"/performance/evidence/?account={world.account.pk}&code=msg_first_response_time&start=2026-11-01&end=2026-12-01"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="evidence-rows"' in body
    assert "oTEST" not in body and "……" not in body


def test_the_office_records_an_incident_and_the_contractor_cannot(world, client_for):
    data = {
        "account": world.account.pk,
        "kind": "serious_error",
        "occurred_at": "2026-11-20T09:00",
        "description": "机构全称错误",
    }
    client_for(world["office_reviewer"]).post("/performance/incidents/", data)
    assert Incident.objects.filter(account=world.account, kind="serious_error").count() == 1
    assert (
        client_for(world["project_manager"]).post("/performance/incidents/", data).status_code
        == 403
    )
    assert Incident.objects.count() == 1


def test_the_dashboard_data_has_month_series_with_gaps_for_missing_data(world, client_for):
    november(world.account)
    client = client_for(world["office_leader"])
    assert 'id="perf-dashboard"' in client.get("/performance/dashboard/?year=2026").content.decode()
    data = client.get(f"/performance/dashboard.json?account={world.account.pk}&year=2026").json()
    months = data["months"]
    assert months["labels"][10] == "2026-11"
    assert months["cadence"]["pushes"][10] == 3 and months["cadence"]["pushes"][9] == 1
    assert months["audience"]["net"][10] == 216 and months["audience"]["missing_days"][10] == 3
    assert months["audience"]["reads"][9] is None  # October: no statistics at all, not zero
    assert months["messages"]["first_median_h"][10] == 6.0
    data = client.get("/performance/compare.json").json()
    assert data["compare"]["per_account"]["accounts"] == [world.account.name]
    assert data["compare"]["per_model"]["counts"] == [1]
