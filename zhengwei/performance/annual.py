"""The yearly 政务新媒体 figures the office reports (《政府网站与政务新媒体工作年度报表》, 移动新媒体
block, and a per-account sheet as govrules.md §2.6 recommends), as an Excel workbook and as a PDF
in the form's layout (WeasyPrint, Chinese from the system's Noto CJK fonts, as procurement's
documents)."""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from zhengwei.lib.text import spreadsheet_cell
from zhengwei.orgs.models import WeChatAccount
from zhengwei.performance import measures
from zhengwei.performance.models import VETO_INCIDENTS, Incident, IncidentKind, Publication

HEADERS = [
    "名称",
    "平台",
    "运营模式",
    "主办单位",
    "运营单位",
    "信息发布总数（篇）",
    "推送次数",
    "原创数（篇）",
    "原创率（%）",
    "关注数（年末）",
    "关注净增",
    "留言收到（条）",
    "留言办结（条）",
    "首次响应中位时长（小时）",
    "按时办结率（%）",
    "超3个月未回复（条）",
    "单项否决事件数",
    "错敏事件数",
    "缺统计数据天数",
]


def annual_rows(accounts: list[WeChatAccount], year: int) -> list[list]:
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    measured = measures.measure_accounts(accounts, start, end)
    t0, t1 = measures.bounds(start, end)
    pubs = {
        r["account_id"]: r
        for r in Publication.objects.filter(
            account__in=accounts, ok=True, published_at__gte=t0, published_at__lt=t1
        )
        .values("account_id")
        .annotate(n=Count("pk"))
    }
    incidents = {
        r["account_id"]: r
        for r in Incident.objects.filter(
            account__in=accounts, occurred_at__gte=t0, occurred_at__lt=t1
        )
        .values("account_id")
        .annotate(
            veto=Count("pk", filter=Q(kind__in=list(VETO_INCIDENTS))),
            errors=Count("pk", filter=Q(kind__in=[IncidentKind.SERIOUS_ERROR, IncidentKind.TYPO])),
        )
    }
    rows = []
    for a in accounts:
        m = measured[a.pk]
        growth = m["follower_net_growth"]
        conv = m["msg_first_response_time"].detail
        rows.append(
            [
                a.name,
                "微信",
                a.get_operation_model_display(),
                a.office.name,
                a.contractor.name if a.contractor_id else "（自行运营）",
                m["original_ratio"].detail.get("articles", 0),
                pubs.get(a.pk, {}).get("n", 0),
                m["original_ratio"].detail.get("originals", 0),
                _num(m["original_ratio"].value),
                (growth.detail or {}).get("followers_last"),
                _num(growth.value),
                conv.get("received", 0),
                m["msg_resolved_in_sla"].detail.get("due"),
                _num(m["msg_first_response_time"].value),
                _num(m["msg_resolved_in_sla"].value),
                _num(m["msg_overdue_90d"].value),
                incidents.get(a.pk, {}).get("veto", 0),
                incidents.get(a.pk, {}).get("errors", 0),
                growth.missing_days,
            ]
        )
    return rows


def _num(value):
    return None if value is None else float(value)


def annual_workbook(accounts: list[WeChatAccount], year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度报表"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1, f"政府网站与政务新媒体工作年度报表 · 移动新媒体（{year}年度）").font = Font(
        bold=True, size=14
    )
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for col, title in enumerate(HEADERS, start=1):
        cell = ws.cell(2, col, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
        ws.column_dimensions[cell.column_letter].width = 14
    rows = annual_rows(accounts, year)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(r, col, "无数据" if value is None else spreadsheet_cell(value))
            cell.border = border
    foot = len(rows) + 4
    ws.cell(
        foot,
        1,
        "说明：数据由平台依据发布记录、互动记录和每日保存的微信统计数据计算；缺统计数据的日期不按零计算，另列天数。",
    )
    ws.cell(
        foot + 1,
        1,
        f"单位负责人：　　　　审核人：　　　　填报人：　　　　联系电话：　　　　填报日期：{timezone.localdate():%Y-%m-%d}",
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def annual_html(accounts: list[WeChatAccount], year: int) -> str:
    return render_to_string(
        "performance/annual.html",
        {
            "title": f"政府网站与政务新媒体工作年度报表（{year}年度）",
            "year": year,
            "headers": HEADERS,
            "rows": [[_shown(v) for v in row] for row in annual_rows(accounts, year)],
            "offices": sorted({a.office.name for a in accounts}),
            "today": timezone.localdate(),
        },
    )


def _shown(value):
    if isinstance(value, float):
        return f"{value:g}"
    return value


def annual_pdf(accounts: list[WeChatAccount], year: int) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this document needs.
    from weasyprint import HTML

    return HTML(string=annual_html(accounts, year)).write_pdf()
