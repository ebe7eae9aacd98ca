"""The acceptance record (履约验收书) is rendered to PDF and read back."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from zhengwei.performance import documents, services
from zhengwei.performance.tests.history import NOW, november

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def signed(world, table):
    november(world.account)
    card = services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 15),
        now=NOW,
        table=table,
    )
    for item in card.items.all():
        services.scorecard_item_confirm(actor=world["office_reviewer"], item=item)
    return services.scorecard_sign(actor=world["office_leader"], scorecard=card, comment="同意验收")


def test_the_signed_scorecard_becomes_a_pdf_with_its_items_score_and_signature(signed, world):
    pdf = documents.acceptance_pdf(signed)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "履约验收书" in text.replace(" ", "")
    flat = text.replace(" ", "").replace("\n", "")
    assert world.account.name in flat
    assert "原创率" in flat and "59.0" in flat and "同意验收" in flat
    assert "草稿" not in flat


def test_before_sign_off_the_pdf_is_marked_as_a_draft(world, table, client_for):
    november(world.account)
    card = services.scorecard_compute(
        actor=world["office_reviewer"],
        account=world.account,
        period="month",
        day=date(2026, 11, 15),
        now=NOW,
        table=table,
    )
    response = client_for(world["project_manager"]).get(
        f"/performance/scorecards/{card.pk}/acceptance.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "草稿" in _text(response.content).replace(" ", "")
