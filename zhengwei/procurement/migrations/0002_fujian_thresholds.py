"""Fujian's default thresholds (dated configuration; the buyer adds later tables on the
thresholds page). Figures and sources from govrules.md §3.3."""

from datetime import date
from decimal import Decimal

from django.db import migrations

ROWS = [
    # 福建 2021 版 集中采购目录及限额标准: 省级 分散采购限额 50万, 公开招标 300万.
    {
        "region": "福建省",
        "level": "provincial",
        "effective_from": date(2021, 1, 1),
        "decentralised_limit": Decimal("500000.00"),
        "public_tender_threshold": Decimal("3000000.00"),
        "source": "闽财购函〔2021〕2号《福建省政府集中采购目录及标准（2021年版）》",
        "note": "生效日期按文件年度记（1月1日），请以原文核对；2024年版征求意见稿拟调为100万/400万，定稿后在此新增一行。",
    },
    # 市县: 公开招标 200万 (same document); 分散采购限额 the 财库〔2019〕69号 minimum 30万.
    {
        "region": "福建省",
        "level": "municipal",
        "effective_from": date(2021, 1, 1),
        "decentralised_limit": Decimal("300000.00"),
        "public_tender_threshold": Decimal("2000000.00"),
        "source": "闽财购函〔2021〕2号（公开招标数额）；财库〔2019〕69号《地方预算单位政府集中采购目录及标准指引（2020年版）》（市县分散采购限额下限）",
        "note": "市县分散采购限额取指引下限30万，请按本地文件核对后另行新增。",
    },
]


def seed(apps, schema_editor):
    ThresholdRule = apps.get_model("procurement", "ThresholdRule")
    for row in ROWS:
        ThresholdRule.objects.get_or_create(
            region=row["region"],
            level=row["level"],
            effective_from=row["effective_from"],
            defaults=row,
        )


def unseed(apps, schema_editor):
    ThresholdRule = apps.get_model("procurement", "ThresholdRule")
    for row in ROWS:
        ThresholdRule.objects.filter(
            region=row["region"], level=row["level"], effective_from=row["effective_from"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
