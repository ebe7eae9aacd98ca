from datetime import UTC, datetime
from pathlib import Path

import pytest

from zhengwei.hydro import selectors
from zhengwei.hydro.models import Forecast, ImportStatus, Landfall, TrackPoint, Typhoon
from zhengwei.hydro.tests.helpers import load

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "typhoons-2017-nesat-haitang.json"

# Synthetic lines in the CMA best-track layout (not real data).
CMA = """66666 1709 004 0011 1709 0 6 NESAT                          20180216
2017072806 4 207 1247  975  33
2017072812 4 213 1240  965  38
2017072818 4 bad 1236  960  40
2017072900 5 221 1232  955  42
"""

IBTRACS = """SID,SEASON,NUMBER,BASIN,SUBBASIN,NAME,ISO_TIME,NATURE,LAT,LON,WMO_WIND,WMO_PRES,CMA_LAT,CMA_LON,CMA_CAT,CMA_WIND,CMA_PRES
 ,Year, , , , ,, ,degrees_north,degrees_east,kts,mb,degrees_north,degrees_east, ,m/s,mb
2017206N15128,2017,60,WP,MM,NESAT,2017-07-28 06:00:00,TS,20.7,124.7,65,975,20.7,124.7,4,33,975
2017206N15128,2017,60,WP,MM,NESAT,2017-07-28 12:00:00,TS,21.3,124.0,70,965,,,,,
2017206N15128,2017,60,WP,MM,NESAT,2017-07-28 18:00:00,TS,95.0,124.0,70,965,,,,,
2017200N10100,2017,55,NA,MM,EMILY,2017-07-31 12:00:00,TS,27.0,-83.0,40,1005,,,,,
"""


def test_the_nesat_and_haitang_sample_imports_with_landfalls_and_a_forecast():
    run = load(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name)
    assert run.status == ImportStatus.DONE, run.error
    nesat = Typhoon.objects.get(pk="201709")
    assert (nesat.name_cn, nesat.name_en, nesat.season) == ("纳沙", "Nesat", 2017)
    assert "SYNTHETIC" in nesat.sources
    points = selectors.track(nesat)
    assert points[0].tm == datetime(2017, 7, 28, 9, tzinfo=UTC)  # 17:00 Beijing time
    assert points[0].get_grade_display() == "台风" and points[0].r7 == "250|250|120|120"
    assert [lf.place for lf in Landfall.objects.filter(typhoon=nesat)] == [
        "台湾宜兰东部沿海",
        "福建福清沿海",
    ]
    paths = selectors.latest_forecasts(nesat)
    assert list(paths) == ["中国"] and len(paths["中国"]) == 3  # the repeated position dropped
    assert Typhoon.objects.get(pk="201710").name_cn == "海棠"
    again = load(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name)
    assert again.status == ImportStatus.DONE
    assert TrackPoint.objects.filter(typhoon=nesat).count() == 7
    assert Forecast.objects.count() == 3


def test_a_cma_best_track_file_imports_in_utc_and_rejects_a_bad_line():
    run = load(CMA, "CH2017BST.txt")
    assert run.kind == "cma_bst"
    assert (run.rows_read, run.rows_rejected) == (4, 1)
    assert "line 4" in run.error
    storm = Typhoon.objects.get(pk="201709")
    first = storm.points.order_by("tm").first()
    assert (first.tm, first.lat, first.lng, first.grade) == (
        datetime(2017, 7, 28, 6, tzinfo=UTC),
        20.7,
        124.7,
        "TY",
    )
    assert storm.points.order_by("tm").last().get_grade_display() == "强台风"


def test_an_ibtracs_csv_takes_cma_values_and_joins_a_known_typhoon():
    Typhoon.objects.create(tfid="201709", name_cn="纳沙", name_en="Nesat", season=2017)
    run = load(IBTRACS, "ibtracs.WP.list.v04r01.csv")
    assert run.kind == "ibtracs"
    assert (run.rows_read, run.rows_rejected) == (3, 1)  # the Atlantic storm is not read
    points = list(TrackPoint.objects.filter(typhoon_id="201709", source="ibtracs").order_by("tm"))
    assert [(p.wind, p.grade) for p in points] == [(33.0, "TY"), (36.0, "TY")]  # 70 kt → m/s


def test_typhoon_json_that_is_not_json_is_refused():
    run = load("{not json", "typhoon.json")
    assert run.status == ImportStatus.FAILED and "not JSON" in run.error
    assert not Typhoon.objects.exists()
