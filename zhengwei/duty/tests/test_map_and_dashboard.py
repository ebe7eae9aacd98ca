"""The report map (GeoJSON of the reports in scope, photos only for those allowed them) and the
response dashboard (report_metrics as chart data, with a daily trend)."""

import io

import pytest

from zhengwei.reports import services
from zhengwei.reports.models import Hazard

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_the_map_gets_every_located_report_with_its_photos(world, client_for, new_report):
    with_photo = new_report(photos=[jpeg()])
    new_report(lat=None, lng=None, address="闽侯县")  # no point: not on the map
    data = client_for(world["duty_officer"]).get("/duty/map/reports.geojson").json()
    (feature,) = data["features"]
    p = feature["properties"]
    assert p["ticket"] == with_photo.ticket and p["open"] is True
    assert feature["geometry"]["coordinates"] == [with_photo.lng, with_photo.lat]
    assert len(p["photos"]) == 1 and p["photos"][0].endswith("/display/")


def test_roles_without_personal_data_get_no_photos(world, client_for, new_report):
    new_report(photos=[jpeg()])
    data = client_for(world["auditor"]).get("/duty/map/reports.geojson").json()
    assert len(data["features"]) == 1  # the report is on the map, only without its photos
    assert data["features"][0]["properties"]["photos"] == []


def test_a_unit_officer_sees_only_the_reports_of_the_unit(world, client_for, new_report):
    mine, _other = new_report(), new_report(openid="oOther")
    duty = world["duty_officer"]
    services.report_triage(actor=duty, report=mine, priority="P1")
    services.report_dispatch(actor=duty, report=mine, unit=world.unit)
    data = client_for(world["unit_officer"]).get("/duty/map/reports.geojson").json()
    assert [f["properties"]["ticket"] for f in data["features"]] == [mine.ticket]


def test_filters_narrow_the_map(world, client_for, new_report):
    new_report(hazard=Hazard.LANDSLIDE)
    client = client_for(world["duty_officer"])
    assert len(client.get("/duty/map/reports.geojson?hazard=landslide").json()["features"]) == 1
    assert client.get("/duty/map/reports.geojson?hazard=waterlogging").json()["features"] == []


def test_the_contractor_has_no_map(world, client_for):
    assert client_for(world["operator"]).get("/duty/map/").status_code == 403


def test_the_map_page_draws_offline_county_outlines_without_a_tile_url(world, client_for, settings):
    settings.MAP_TILE_URL = ""
    page = client_for(world["duty_officer"]).get("/duty/map/").content.decode()
    assert "fujian-counties.geojson" in page and 'data-tiles=""' in page


def test_the_dashboard_data_carries_the_headline_times_rates_and_a_daily_trend(
    world, client_for, new_report
):
    report = new_report()
    services.report_ack(actor=world["duty_officer"], report=report)
    data = client_for(world["duty_officer"]).get("/duty/metrics/data.json?days=7").json()
    assert data["times"]["time_to_first_ack"]["n"] == 1
    assert data["times"]["time_to_first_ack"]["median_min"] is not None
    assert set(data["rates"]) >= {
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
        "deadline_compliance",
        "seen_first_by_office",
        "duplicate_rate",
        "reopen_rate",
    }
    assert len(data["trend"]) == 14 and data["trend"][-1]["received"] == 1
    assert "overdue_now" in data and data["inbox"]["open"] == 0


def test_the_contractors_project_manager_sees_the_de_identified_dashboard(world, client_for):
    client = client_for(world["project_manager"])
    page = client.get("/duty/metrics/")
    assert page.status_code == 200
    assert 'data-testid="chart-headline"' in page.content.decode()
    data = client.get("/duty/metrics/data.json").json()
    assert "notes" in data and data["inbox"]["open"] == 0
