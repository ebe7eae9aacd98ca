"""Auditors export the filtered audit log as CSV or Excel; every export is itself audited."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhengwei.audit.models import AuditEntry
from zhengwei.audit.tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world, record):
    admin = world["system_admin"]
    return [
        record(
            at=local(2026, 7, 1, 9, 0),
            actor=admin,
            action="organisation.update",
            obj=world.unit,
            before={"short_name": "旧简称"},
            after={"short_name": "新简称"},
        ),
        record(
            at=local(2026, 7, 2, 9, 0),
            action="auth.sign_in_failed",
            actor_name='=HYPERLINK("http://evil")',
            object_type="auth",
            outcome="denied",
        ),
    ]


def _csv_rows(response):
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_starts_with_a_bom_and_holds_the_filtered_entries(world, client_for, entries):
    response = client_for(world["auditor"]).get(
        reverse("audit:export_csv"), {"action": "organisation."}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][0] == "时间"
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "2026-07-01 09:00:00"
    assert "organisation.update" in row
    assert '{"short_name":"旧简称"}' in row
    assert '{"short_name":"新简称"}' in row


def test_the_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(world, client_for, entries):
    response = client_for(world["auditor"]).get(reverse("audit:export_csv"), {"outcome": "denied"})
    rows = _csv_rows(response)
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'


def test_the_xlsx_holds_the_filtered_entries_as_text(world, client_for, entries):
    response = client_for(world["auditor"]).get(
        reverse("audit:export_xlsx"), {"start": "2026-07-01T00:00", "end": "2026-07-02T23:00"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "时间"
    assert len(rows) == 3
    actions = {row[4] for row in rows[1:]}
    assert actions == {"organisation.update", "auth.sign_in_failed"}
    failed = next(row for row in rows if row[4] == "auth.sign_in_failed")
    assert failed[1] == '\'=HYPERLINK("http://evil")'  # the one rule of every export
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == failed[1])
    assert cell.data_type == "s"  # text, not a formula


def test_every_export_is_audited_with_its_filter(world, client_for, entries):
    client_for(world["auditor"]).get(
        reverse("audit:export_csv"), {"action": "organisation.", "outcome": "ok"}
    )
    entry = AuditEntry.objects.get(action="audit.export")
    assert entry.actor == world["auditor"]
    # The search as people read it: the fields' labels, the outcome's label.
    assert "操作=organisation." in entry.note
    assert "结果=成功" in entry.note
    assert entry.after["format"] == "csv"
    assert entry.after["rows"] == 1


def test_the_export_does_not_contain_its_own_entry(world, client_for, entries):
    response = client_for(world["auditor"]).get(reverse("audit:export_csv"), {"action": "audit."})
    assert len(_csv_rows(response)) == 1


@pytest.mark.parametrize("who", ["system_admin", "editor", "duty_officer"])
def test_only_auditors_may_export(world, client_for, entries, who):
    client = client_for(world[who])
    assert client.get(reverse("audit:export_csv")).status_code == 403
    assert client.get(reverse("audit:export_xlsx")).status_code == 403
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_the_auditor_sees_the_export_buttons(world, client_for, entries):
    html = client_for(world["auditor"]).get(reverse("audit:list")).content.decode()
    assert 'data-testid="export-csv"' in html
