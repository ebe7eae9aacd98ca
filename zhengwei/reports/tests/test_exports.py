import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhengwei.audit.models import AuditEntry
from zhengwei.reports import services
from zhengwei.reports.tests.helpers import citizen, jpeg, receive

pytestmark = pytest.mark.django_db

PHONE = "13812341234"


@pytest.fixture
def reports(world):
    a = receive(
        world,
        phone=PHONE,
        name="王大妈",
        hazard="people_trapped",
        lives_in_danger=True,
        photos=[jpeg()],
    )
    b = receive(
        world, actor=citizen("o-2"), phone="13900000002", hazard="waterlogging", lat=26.3, lng=119.0
    )
    c = receive(
        world, actor=citizen("o-3"), phone="13900000003", hazard="waterlogging", lat=39.9, lng=116.4
    )
    return a, b, c


def _csv(response):
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # UTF-8 BOM for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_has_a_bom_chinese_headers_and_one_row_per_report(world, reports, client_for):
    response = client_for(world["duty_officer"]).get(reverse("reports:export", args=["csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:3] == ["编号", "渠道", "灾情类型"]
    assert len(rows) == 4
    assert "报告人电话" in rows[0]
    cells = {cell for row in rows for cell in row}
    # Masked in every export: the full number is one audited reveal on the report's page.
    assert PHONE not in " ".join(cells)
    assert PHONE[:3] + "****" + PHONE[-4:] in cells


def test_roles_without_personal_data_permission_export_without_phone_or_name(
    world, reports, client_for
):
    rows = _csv(client_for(world["auditor"]).get(reverse("reports:export", args=["csv"])))
    assert "报告人电话" not in rows[0] and "报告人姓名" not in rows[0]
    flat = " ".join(" ".join(r) for r in rows)
    assert PHONE not in flat and "王大妈" not in flat


def test_exports_follow_the_list_filters(world, reports, client_for):
    url = reverse("reports:export", args=["csv"]) + "?hazard=people_trapped"
    rows = _csv(client_for(world["duty_officer"]).get(url))
    assert len(rows) == 2 and rows[1][0] == reports[0].ticket


def test_the_excel_export_opens_with_openpyxl(world, reports, client_for):
    response = client_for(world["duty_officer"]).get(reverse("reports:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "编号"
    assert sheet.max_row == 4


def test_the_geojson_export_is_a_feature_collection(world, reports, client_for):
    response = client_for(world["duty_officer"]).get(reverse("reports:export", args=["geojson"]))
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    point = next(f for f in data["features"] if f["properties"]["ticket"] == reports[0].ticket)
    assert point["geometry"] == {"type": "Point", "coordinates": [reports[0].lng, reports[0].lat]}
    assert point["properties"]["hazard_code"] == "people_trapped"


def test_every_export_is_audited_with_its_size(world, reports, client_for):
    client_for(world["duty_officer"]).get(reverse("reports:export", args=["csv"]))
    entry = AuditEntry.objects.get(action="report.export")
    assert entry.object_repr == "csv × 3"
    assert entry.note == "含个人信息"


def test_the_initial_report_sums_up_leads_per_county(world, reports, client_for):
    dup = receive(world, actor=citizen("o-4"), phone="13900000004", hazard="people_trapped")
    services.report_mark_duplicate(actor=world["duty_officer"], report=dup, parent=reports[0])
    client = client_for(world["duty_officer"])
    page = client.get(reverse("reports:initial_report"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "闽侯县" in body and "人员被困" in body
    from datetime import timedelta

    from django.utils import timezone

    from zhengwei.reports.selectors import initial_report

    summary = initial_report(
        user=world["duty_officer"],
        account=world.account,
        start=timezone.now() - timedelta(days=1),
        end=timezone.now(),
    )
    minhou = next(r for r in summary["rows"] if r["county_code"] == "350121")
    assert minhou["total"] == 2  # the duplicate is not counted twice
    assert minhou["people_trapped"] == 1 and minhou["lives_in_danger"] == 1
    assert minhou["with_photos"] == 1
    assert minhou["first_report_at"] == reports[0].submitted_at
    unknown = summary["rows"][-1]
    assert unknown["county_code"] == "" and unknown["total"] == 1  # the Beijing one
    assert summary["totals"]["total"] == 3


def test_the_initial_report_downloads_as_excel(world, reports, client_for):
    response = client_for(world["duty_officer"]).get(reverse("reports:initial_report_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["地市", "区县代码", "区县", "报告数"]
    assert "人员被困（报告数）" in header
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert values[-1][0] == "合计" and values[-1][3] == 3


def test_contractor_roles_cannot_export(world, reports, client_for):
    for fmt in ("csv", "xlsx", "geojson"):
        response = client_for(world["project_manager"]).get(reverse("reports:export", args=[fmt]))
        assert response.status_code == 403
