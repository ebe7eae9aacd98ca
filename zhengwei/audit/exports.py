"""The audit log as CSV (UTF-8 with BOM, which Excel needs for Chinese) or as an .xlsx workbook."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.audit.forms import outcome_label
from zhengwei.audit.models import AuditEntry
from zhengwei.lib.text import spreadsheet_cell, spreadsheet_row


def headers() -> list[str]:
    return [
        _("Time"),
        _("Actor"),
        _("Actor organisation"),
        _("Role"),
        _("Operation"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Before"),
        _("After"),
        _("Note"),
        _("Source IP"),
        _("Outcome"),
    ]


def compact_json(value) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def row(entry: AuditEntry) -> list[str]:
    return [
        timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_name,
        entry.actor_org,
        entry.role,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        compact_json(entry.before),
        compact_json(entry.after),
        entry.note,
        entry.ip or "",
        outcome_label(entry.outcome),
    ]


def to_csv(entries: Iterable[AuditEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for entry in entries:
        writer.writerow(spreadsheet_row(row(entry)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(entries: Iterable[AuditEntry]) -> bytes:
    # openpyxl is heavy and only spreadsheet exports need it: loaded on the first export.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    widths = [20, 14, 22, 22, 20, 16, 10, 28, 40, 40, 30, 16, 8]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for entry in entries:
        cells = []
        for value in row(entry):
            cell = WriteOnlyCell(sheet, value=spreadsheet_cell(value))
            cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
