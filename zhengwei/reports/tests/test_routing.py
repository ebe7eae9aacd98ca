from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zhengwei.reports import services
from zhengwei.reports.models import RoutingRule
from zhengwei.reports.selectors import route_for
from zhengwei.reports.tests.helpers import MINHOU, put_on_duty, receive, route_to_unit
from zhengwei.testing.factories import OrganisationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_unit(world):
    return OrganisationFactory(name="测试山洪专班", kind="unit", parent=world.office)


def test_a_report_is_routed_by_its_county_and_hazard(world, other_unit):
    route_to_unit(world)
    services.routing_rule_save(
        actor=world["duty_leader"],
        account=world.account,
        county_code=MINHOU,
        unit=other_unit,
        hazard="flash_flood",
    )
    flood = receive(world, hazard="flash_flood")
    water = receive(world, hazard="waterlogging")
    assert flood.county_code == MINHOU
    assert route_for(flood)[0] == other_unit
    assert route_for(water)[0] == world.unit


def test_without_a_rule_a_unit_whose_region_is_the_county_receives_it(world):
    world.unit.region_code = MINHOU
    world.unit.save()
    report = receive(world)
    unit, rule = route_for(report)
    assert unit == world.unit and rule is None


def test_without_any_route_the_duty_officer_must_choose(world):
    report = receive(world)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P2")
    with pytest.raises(ValidationError):
        services.report_dispatch(actor=world["duty_officer"], report=report)


def test_dispatch_goes_to_the_unit_officer_on_duty_now(world, events):
    route_to_unit(world)
    officer = world["unit_officer"]
    put_on_duty(officer, world.unit)
    report = receive(world)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
    services.report_dispatch(actor=world["duty_officer"], report=report)
    report.refresh_from_db()
    assert report.assigned_unit == world.unit
    assert report.assignee == officer
    assert events.named("report.dispatched")[-1] == {
        "report_id": report.pk,
        "account_id": world.account.pk,
        "unit_id": world.unit.pk,
        "assignee_id": officer.pk,
    }


def test_an_officer_whose_shift_has_ended_is_not_assigned(world):
    route_to_unit(world)
    put_on_duty(world["unit_officer"], world.unit, start=timezone.now() - timedelta(days=2))
    report = receive(world)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
    services.report_dispatch(actor=world["duty_officer"], report=report)
    report.refresh_from_db()
    assert report.assignee is None
    assert report.steps.get(kind="dispatch").data["nobody_on_duty"] is True


def test_a_rostered_colleague_without_the_unit_role_is_skipped(world):
    route_to_unit(world)
    clerk = UserFactory(organisation=world.unit)
    put_on_duty(clerk, world.unit)
    put_on_duty(world["unit_officer"], world.unit)
    report = receive(world)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
    services.report_dispatch(actor=world["duty_officer"], report=report)
    report.refresh_from_db()
    assert report.assignee == world["unit_officer"]


def test_a_report_cannot_be_dispatched_to_another_offices_unit(world):
    stranger = OrganisationFactory(
        name="别处县防办", kind="unit", parent=OrganisationFactory(name="别处防汛办")
    )
    report = receive(world)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
    with pytest.raises(ValidationError):
        services.report_dispatch(actor=world["duty_officer"], report=report, unit=stranger)


def test_routing_rules_are_managed_by_the_duty_leader_not_the_duty_officer(world, client_for):
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(
            actor=world["duty_officer"],
            account=world.account,
            county_code=MINHOU,
            unit=world.unit,
        )
    client = client_for(world["duty_leader"])
    response = client.post(
        reverse("reports:routing"), {"county_code": MINHOU, "hazard": "", "unit": world.unit.pk}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.county_name == "闽侯县"
    page = client.get(reverse("reports:routing")).content.decode()
    assert "闽侯县" in page
    client.post(reverse("reports:routing_delete", args=[rule.pk]))
    assert not RoutingRule.objects.exists()
    assert client_for(world["duty_officer"]).get(reverse("reports:routing")).status_code == 403


def test_an_unknown_county_code_is_refused(world):
    with pytest.raises(ValidationError):
        services.routing_rule_save(
            actor=world["duty_leader"],
            account=world.account,
            county_code="999999",
            unit=world.unit,
        )


def test_a_second_unit_officer_can_be_granted(world):
    extra = UserFactory(organisation=world.unit)
    grant(extra, world.account, "unit_officer")
    route_to_unit(world)
    put_on_duty(extra, world.unit)
    report = receive(world)
    services.report_triage(actor=world["duty_officer"], report=report, priority="P1")
    services.report_dispatch(actor=world["duty_officer"], report=report)
    report.refresh_from_db()
    assert report.assignee == extra
