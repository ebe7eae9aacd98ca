"""Demo: one run of the daily personal-data purge, so 个人信息清理报告 has a report to show (what
the scheduler would have done on the first night)."""

from __future__ import annotations

from zhengwei.audit.models import PurgeRun
from zhengwei.audit.services import retention_purge


def seed(out=print) -> None:
    if PurgeRun.objects.exists():
        return
    rows = retention_purge()
    out(f"personal-data purge: {sum(r.records for r in rows)} records, {len(rows)} classes")
