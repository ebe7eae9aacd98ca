"""CSV (UTF-8 with BOM, so Excel opens it in Chinese), Excel and GeoJSON of filtered reports,
and the 灾情初报 summary workbook.

Exports leave the building: what the citizen wrote is masked in every export (zhengwei.lib.privacy:
phone and ID numbers, cards, plates, e-mail, the reporter's name), and the reporter's phone and
name columns, given only to people whose role may see personal data
(``reports.personal_data.view``), carry the masked forms; the full number is one audited reveal on
the report's page. Exact coordinates go only to those people too (about a kilometre for others).
Every export is audited with its row count.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhengwei.audit.services import audit_record
from zhengwei.lib.privacy import coarse, mask_name, mask_text
from zhengwei.lib.text import spreadsheet_row
from zhengwei.reports import policy as P
from zhengwei.reports.models import Report


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def columns(personal: bool) -> list[tuple[str, str]]:
    cols = [
        ("ticket", _("Ticket")),
        ("channel", _("Channel")),
        ("hazard", _("Hazard")),
        ("priority", _("Priority")),
        ("state", _("State")),
        ("lives_in_danger", _("Lives in danger")),
        ("county_code", _("County code")),
        ("county_name", _("County")),
        ("address", _("Address")),
        ("lat", _("Latitude (WGS-84)")),
        ("lng", _("Longitude (WGS-84)")),
        ("location_flag", _("Location check")),
        ("description", _("Description")),
        ("submitted_at", _("Submitted at")),
        ("first_ack_at", _("First acknowledged at")),
        ("dispatched_at", _("Dispatched at")),
        ("contacted_at", _("Contacted at")),
        ("resolved_at", _("Resolved at")),
        ("due_at", _("Due at")),
        ("unit", _("Unit")),
        ("escalation_level", _("Escalation level")),
        ("duplicate_of", _("Duplicate of")),
        ("satisfaction", _("Satisfaction")),
        ("photos", _("Photos")),
    ]
    if personal:
        cols += [("reporter_phone", _("Reporter phone")), ("reporter_name", _("Reporter name"))]
    return cols


def row(report: Report, personal: bool) -> dict[str, Any]:
    names = (report.reporter_name,) if report.reporter_name_sealed else ()
    point = (report.lat, report.lng) if personal else coarse(report.lat, report.lng)
    lat, lng = point if point else (None, None)
    data = {
        "ticket": report.ticket,
        "channel": report.get_channel_display(),
        "hazard": report.get_hazard_display(),
        "priority": report.priority,
        "state": report.get_state_display(),
        "lives_in_danger": _("yes") if report.lives_in_danger else _("no"),
        "county_code": report.county_code,
        "county_name": report.county_name,
        "address": report.address,
        "lat": lat,
        "lng": lng,
        "location_flag": report.get_location_flag_display(),
        "description": mask_text(report.description, names=names),
        "submitted_at": _when(report.submitted_at),
        "first_ack_at": _when(report.first_ack_at),
        "dispatched_at": _when(report.dispatched_at),
        "contacted_at": _when(report.contacted_at),
        "resolved_at": _when(report.resolved_at),
        "due_at": _when(report.due_at),
        "unit": str(report.assigned_unit or ""),
        "escalation_level": report.escalation_label if report.escalation_level else "",
        "duplicate_of": report.duplicate_of.ticket if report.duplicate_of_id else "",
        "satisfaction": report.satisfaction or "",
        "photos": report.photos.count(),
    }
    if personal:
        data["reporter_phone"] = report.reporter_phone_masked
        data["reporter_name"] = mask_name(report.reporter_name)
    return {k: ("" if v is None else v) for k, v in data.items()}


def _personal(user, reports: list[Report]) -> bool:
    """Personal columns only when the person may see personal data for every exported report."""
    return bool(reports) and all(P.may_on_report(user, P.REPORTS_PERSONAL_DATA, r) for r in reports)


def _audit(user, fmt: str, count: int, personal: bool) -> None:
    with transaction.atomic():
        audit_record(
            actor=user,
            action="report.export",
            object_type="reports.report",
            object_repr=f"{fmt} × {count}",
            note=_("with personal data") if personal else "",
        )


def to_csv(user, reports: list[Report]) -> bytes:
    personal = _personal(user, reports)
    cols = columns(personal)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spreadsheet_row(label for _, label in cols))
    for report in reports:
        data = row(report, personal)
        writer.writerow(spreadsheet_row(data[key] for key, _ in cols))
    _audit(user, "csv", len(reports), personal)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _sheet_from(ws, header: list[str], rows: list[list[Any]]) -> None:
    ws.append(spreadsheet_row(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(spreadsheet_row(values))
    for index, label in enumerate(header, start=1):
        width = max([len(str(label))] + [len(str(r[index - 1])) for r in rows[:200]] + [6])
        ws.column_dimensions[get_column_letter(index)].width = min(40, width + 2)
    ws.freeze_panes = "A2"


def to_xlsx(user, reports: list[Report]) -> bytes:
    personal = _personal(user, reports)
    cols = columns(personal)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Reports")[:31]
    rows = []
    for report in reports:
        data = row(report, personal)
        rows.append([data[key] for key, _ in cols])
    _sheet_from(ws, [label for _, label in cols], rows)
    out = io.BytesIO()
    wb.save(out)
    _audit(user, "xlsx", len(reports), personal)
    return out.getvalue()


def to_geojson(user, reports: list[Report]) -> bytes:
    personal = _personal(user, reports)
    features = []
    for report in reports:
        props = row(report, personal)
        lat, lng = props.pop("lat", None), props.pop("lng", None)
        props["state_code"] = report.state
        props["hazard_code"] = report.hazard
        geometry = {"type": "Point", "coordinates": [lng, lat]} if report.has_location else None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    _audit(user, "geojson", len(reports), personal)
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode("utf-8")


def initial_report_xlsx(user, summary: dict[str, Any], account_name: str) -> bytes:
    """灾情初报 (leads) per county: counts by hazard, people trapped, lives in danger, first report."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Initial report")[:31]
    title = _("%(account)s · citizen disaster leads by county, %(start)s – %(end)s") % {
        "account": account_name,
        "start": _when(summary["start"]),
        "end": _when(summary["end"]),
    }
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            _(
                "Leads from citizens' reports for the county's 2-hour initial report; not verified statistics."
            )
        ]
    )
    ws.append([])
    header = [
        _("City"),
        _("County code"),
        _("County"),
        _("Number of reports"),
        *summary["hazards"],
        _("People trapped (reports)"),
        _("Lives in danger (reports)"),
        _("With photos"),
        _("First report"),
        _("Latest report"),
    ]
    ws.append(header)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in summary["rows"]:
        ws.append(
            spreadsheet_row(
                [
                    r["city"],
                    r["county_code"],
                    str(r["county_name"]),
                    r["total"],
                    *r["hazards"],
                    r["people_trapped"],
                    r["lives_in_danger"],
                    r["with_photos"],
                    _when(r["first_report_at"]),
                    _when(r["latest_report_at"]),
                ]
            )
        )
    t = summary["totals"]
    ws.append(
        [
            _("Total"),
            "",
            "",
            t["total"],
            *t["hazards"],
            t["people_trapped"],
            t["lives_in_danger"],
            t["with_photos"],
            "",
            "",
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for index in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 12 if index > 3 else 14
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    _audit(user, _("initial disaster report (Excel)"), t["total"], False)
    return out.getvalue()
