"""The flood-data demo: Nesat and Haitang (July 2017) over synthetic Fujian stations.

Imports the sample files through the real importers (so 「汛情数据导入」 lists them, with one
GBK file of bad rows to show the rejects), adds thresholds with their validity, the warnings and
emergency responses the bulletins reported, and rebuilds the live picture. Safe to run again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from zhengwei.hydro.models import (
    EmergencyResponse,
    HazardWarning,
    Region,
    Station,
    Threshold,
)
from zhengwei.hydro.samples import demo as samples
from zhengwei.hydro.services import imports, snapshot
from zhengwei.hydro.services.regions import regions_ensure

SAMPLES = Path(samples.__file__).resolve().parent
BJ = ZoneInfo("Asia/Shanghai")


def _bj(*args) -> datetime:
    return datetime(*args, tzinfo=BJ)


def seed(out=print) -> None:
    if Station.objects.filter(synthetic=True).exists():
        out("demo: flood data already there")
        return
    regions_ensure()
    files = samples.files()
    station_file = "ST_STBPRP_B-demo.csv"
    imports.hydro_import(actor=None, data=files[station_file].encode(), name=station_file)
    Station.objects.filter(stcd__startswith="9").update(synthetic=True, source="synthetic (demo)")
    for stcd, capacity in samples.capacities().items():
        Station.objects.filter(pk=stcd).update(normal_capacity=capacity)
    for row in samples.thresholds():
        stcd = row.pop("stcd")
        Threshold.objects.get_or_create(station_id=stcd, **row)
    for name, text in files.items():
        if name != station_file:
            imports.hydro_import(actor=None, data=text.encode("utf-8"), name=name)
    for name in ("ST_PPTN_R-bad-rows-gbk.csv", "typhoons-2017-nesat-haitang.json"):
        imports.hydro_import(actor=None, data=(SAMPLES / name).read_bytes(), name=name)
    _events()
    snapshot.snapshot_rebuild()
    out("demo: flood data of Nesat and Haitang (July 2017) imported")


def _events() -> None:
    province = Region.objects.get(pk="350000")
    fuzhou = Region.objects.get(pk="350100")
    response = "http://www.ghqlgyb.cn/news/fj/1798673.html"
    august = "http://hanxinmy.cn/news/content/2017-08-01/content_3305721.htm"
    EmergencyResponse.objects.get_or_create(
        issuer="福建省防汛抗旱指挥部",
        track="typhoon",
        level="II",
        started_at=_bj(2017, 7, 29, 21),
        defaults={
            "region": province,
            "ended_at": _bj(2017, 8, 1, 0),
            "basis": "防御第9号台风“纳沙”。调整为Ⅳ级的时刻报道未给出（以8月1日报道为准）。",
            "source_url": response,
        },
    )
    for track, level in (("typhoon", "IV"), ("rainstorm", "II")):
        EmergencyResponse.objects.get_or_create(
            issuer="福建省防汛抗旱指挥部",
            track=track,
            level=level,
            started_at=_bj(2017, 8, 1, 0),
            defaults={
                "region": province,
                "basis": "8月1日报道：防暴雨Ⅱ级、防台风Ⅳ级（具体时刻报道未给出）。",
                "source_url": august,
            },
        )
    HazardWarning.objects.get_or_create(
        issuer="福州市气象台",
        hazard="typhoon",
        level="yellow",
        issued_at=_bj(2017, 7, 30, 18),
        defaults={
            "region": fuzhou,
            "text": "福州市气象台发布台风黄色预警信号（报道发布于7月30日18时56分，发布时刻以前）。",
            "source_url": "http://yqmw666.cn/2017/07/30/ARTI1501412182801113.shtml",
        },
    )
