import io

import pytest
from docx import Document
from pypdf import PdfReader

from zhengwei.procurement import documents
from zhengwei.procurement.tests.flow import run_to


def _pdf_text(data: bytes) -> str:
    return (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        .replace(" ", "")
        .replace("\n", "")
    )


def _docx_text(data: bytes) -> str:
    d = Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "".join(parts).replace(" ", "")


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("requirements", ["采购需求", "壹拾玖万捌仟元整", "保密"]),
        ("evaluation", ["比价/评审表", "集体决策纪要", "福建第1传媒有限公司"]),
        (
            "contract",
            ["政府购买服务合同", "FJFX-2026-001", "壹拾玖万捌仟元整", "原创率", "不得转包"],
        ),
        ("acceptance", ["履约验收书", "未达标", "壹万陆仟零伍元整"]),
    ],
)
def test_each_document_renders_as_pdf_and_docx_and_reads_back(world, kind, expected):
    case = run_to(world)
    doc = documents.build(case.purchase, kind)
    pdf = _pdf_text(documents.render_pdf(doc))
    docx = _docx_text(documents.render_docx(doc))
    for text in expected:
        assert text.replace(" ", "") in pdf, (kind, text)
        assert text.replace(" ", "") in docx, (kind, text)


def test_a_document_of_a_step_not_done_is_not_available(world):
    from zhengwei.procurement.models import Step

    case = run_to(world, Step.CONTRACT)
    with pytest.raises(documents.NotAvailable):
        documents.build(case.purchase, "contract")
    assert [d["kind"] for d in documents.available(case.purchase)] == ["requirements", "evaluation"]
