"""The yearly figures in the official table layout, read back from the Excel file."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from zhengwei.performance.tests.history import november

pytestmark = pytest.mark.django_db


def test_the_annual_report_lists_each_account_with_its_year_figures(world, client_for):
    november(world.account)
    response = client_for(world["office_leader"]).get("/performance/annual.xlsx?year=2026")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "移动新媒体（2026年度）" in ws.cell(1, 1).value
    headers = [c.value for c in ws[2]]
    row = dict(zip(headers, [c.value for c in ws[3]], strict=True))
    assert row["名称"] == world.account.name
    # The hand-made history: 4 successful pushes in 2026 (Oct 25, Nov 3, 10, 20), 8 articles,
    # 5 original; 27 days of statistics, 216 net new followers; one serious error.
    assert row["推送次数"] == 4 and row["信息发布总数（篇）"] == 8 and row["原创数（篇）"] == 5
    assert row["关注净增"] == 216 and row["单项否决事件数"] == 1
    assert row["留言收到（条）"] == 5


def test_an_account_outsider_gets_no_report(world, client_for):
    response = client_for(world["editor"]).get("/performance/annual.xlsx?year=2026")
    assert response.status_code == 403


def test_the_annual_report_is_also_a_pdf_in_the_forms_layout(world, client_for):
    november(world.account)
    response = client_for(world["office_leader"]).get("/performance/annual.pdf?year=2026")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    assert "政府网站与政务新媒体工作年度报表" in text and "移动新媒体（2026年度）" in text
    assert world.account.name in text and world.account.office.name in text
    assert "单位负责人" in text and "填报人" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
