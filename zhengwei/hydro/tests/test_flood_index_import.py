"""ST_RVFCCH_B (河道站防洪指标) and ST_RSVRFSR_B (库(湖)站汛限水位) become thresholds with
validity dates, so each level is judged against the index of its own time."""

import csv
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F

from zhengwei.hydro import selectors as S
from zhengwei.hydro.models import ImportKind, ImportRun, ImportStatus, Threshold
from zhengwei.hydro.tests.helpers import load, stations
from zhengwei.lib import hydrostd

pytestmark = pytest.mark.django_db

RIVER_LIMITS = """STCD,LDKEL,RDKEL,WRZ,WRQ,GRZ,GRQ,FLPQ,OBHTZ,OBHTZTM,TAZ,SFZ,MODITIME
90000001,24.0,24.2,20.5,3500,22.8,5200,,23.62,2017-08-01 02:00:00,21.0,19.0,2019-04-01 00:00:00
"""
RESERVOIR_LIMITS = """STCD,BGMD,EDMD,FSLTDZ,FSLTDW,FSTP,MODITIME
90000004,0415,0715,63.5,,1,2018-03-01 00:00:00
90000004,0716,1015,64.0,,2,2018-03-01 00:00:00
"""


def _levels(stcd, kind):
    return list(
        Threshold.objects.filter(station_id=stcd, kind=kind)
        .order_by(F("valid_from").asc(nulls_first=True))
        .values_list("value", "valid_from", "valid_to")
    )


def test_river_indexes_start_a_new_period_and_close_the_old_one():
    stations()  # 永泰: warning 19.5, guaranteed 22.0, valid since always
    run = load(RIVER_LIMITS, "ST_RVFCCH_B.csv")
    assert (run.kind, run.status, run.rows_stored) == (ImportKind.RIVER_LIMITS, "done", 2)
    assert _levels("90000001", "WRZ") == [
        (19.5, None, date(2019, 4, 1)),
        (20.5, date(2019, 4, 1), None),
    ]
    assert _levels("90000001", "GRZ") == [
        (22.0, None, date(2019, 4, 1)),
        (22.8, date(2019, 4, 1), None),
    ]
    limits = S.limits_by_station(["90000001"])["90000001"]
    # 20.0 m was over the warning level in 2017 and is not since the 2019 re-survey.
    assert hydrostd.station_status(20.0, limits, date(2017, 7, 31)).code == hydrostd.OVER_WARNING
    assert hydrostd.station_status(20.0, limits, date(2020, 7, 31)).code == hydrostd.NORMAL


def test_reimporting_the_same_index_table_changes_nothing():
    stations()
    load(RIVER_LIMITS, "ST_RVFCCH_B.csv")
    again = load(RIVER_LIMITS, "ST_RVFCCH_B-again.csv")
    assert (again.status, again.rows_read, again.rows_stored) == (ImportStatus.DONE, 1, 0)
    assert Threshold.objects.filter(station_id="90000001").count() == 4


def test_reservoir_limits_are_stored_per_season():
    stations()
    run = load(RESERVOIR_LIMITS, "ST_RSVRFSR_B.csv")
    assert (run.kind, run.status, run.rows_stored) == (ImportKind.RESERVOIR_LIMITS, "done", 2)
    seasons = Threshold.objects.filter(station_id="90000004", kind="FSLTDZ", valid_to=None)
    assert sorted(seasons.values_list("season_begin", "season_end", "value")) == [
        ("0415", "0715", 63.5),
        ("0716", "1015", 64.0),
    ]
    limits = S.limits_by_station(["90000004"])["90000004"]
    july = hydrostd.station_status(63.8, limits, date(2019, 7, 1))
    august = hydrostd.station_status(63.8, limits, date(2019, 8, 1))
    assert (july.code, july.limit) == (hydrostd.OVER_FLOOD_LIMIT, 63.5)
    assert august.code == hydrostd.NORMAL


def test_bad_index_rows_are_rejected_with_file_and_line():
    stations()
    river = (
        "STCD,WRZ,GRZ,MODITIME\n"
        "90000001,20.5,22.8,2019-04-01\n"
        "90000002,20.0,21.0,\n"  # line 3: a rain gauge
        "90000001,21.0,20.0,2020-01-01\n"  # line 4: guaranteed below warning
        "99999999,20.0,21.0,\n"  # line 5: unknown station
        "90000001,,,2021-01-01\n"  # line 6: no level
        "90000001,95.0,96.0,2022-01-01\n"  # line 7: 75 m off the station's level
        "90000001,20.6,22.9,2019-04-01\n"  # line 8: the station twice
    )
    run = load(river, "ST_RVFCCH_B-bad.csv")
    assert (run.status, run.rows_read, run.rows_rejected) == (ImportStatus.PARTIAL, 7, 6)
    reservoir = (
        "STCD,BGMD,EDMD,FSLTDZ\n"
        "90000004,0415,1015,63.0\n"
        "90000004,1345,1015,63.0\n"  # line 3: no such month
        "90000004,0601,0931,abc\n"  # line 4: EDMD 0931 is no day
        "90000001,0415,1015,19.0\n"  # line 5: a river station
    )
    fsr = load(reservoir, "ST_RSVRFSR_B-bad.csv")
    assert (fsr.status, fsr.rows_read, fsr.rows_rejected) == (ImportStatus.PARTIAL, 4, 3)
    rejects = []
    for path in (run.rejects_file, fsr.rejects_file):
        with Path(path).open(encoding="utf-8-sig") as handle:
            rejects += list(csv.DictReader(handle))
    assert [(r["file"], r["line"]) for r in rejects] == [
        *[("ST_RVFCCH_B-bad.csv", n) for n in ("3", "4", "5", "6", "7", "8")],
        *[("ST_RSVRFSR_B-bad.csv", n) for n in ("3", "4", "5")],
    ]
    reasons = " | ".join(r["reason"] for r in rejects)
    for words in (
        "station 90000002 is of type PP",
        "below the warning level",
        "unknown station 99999999",
        "neither a warning level",
        "away from the station's reference level",
        "duplicate of line 2",
        "season begin BGMD must be a month and day",
        "season end EDMD must be a month and day",
        "station 90000001 is of type ZZ",
    ):
        assert words in reasons
    assert _levels("90000001", "WRZ")[-1] == (20.5, date(2019, 4, 1), None)


def test_the_indexes_are_pulled_from_a_database_that_has_them(tmp_path):
    stations()
    path = tmp_path / "sl323.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE ST_RVFCCH_B (STCD TEXT, WRZ REAL, GRZ REAL, MODITIME TIMESTAMP)")
    db.execute("INSERT INTO ST_RVFCCH_B VALUES ('90000001', 20.5, 22.8, '2019-04-01 00:00:00')")
    db.execute("CREATE TABLE ST_STBPRP_B (STCD TEXT, STNM TEXT, STTP TEXT)")
    for table in ("ST_PPTN_R (STCD TEXT, TM TEXT, DRP REAL)",
                  "ST_RIVER_R (STCD TEXT, TM TEXT, Z REAL)",
                  "ST_RSVR_R (STCD TEXT, TM TEXT, RZ REAL)"):  # fmt: skip
        db.execute(f"CREATE TABLE {table}")
    db.commit()
    db.close()
    call_command("hydro_import", "--from-db", f"sqlite:///{path}", "--quiet-progress")
    run = ImportRun.objects.get(source__endswith="#ST_RVFCCH_B")
    assert (run.status, run.rows_stored) == (ImportStatus.DONE, 2)
    assert not ImportRun.objects.filter(source__endswith="#ST_RSVRFSR_B").exists()
    assert _levels("90000001", "WRZ")[-1] == (20.5, date(2019, 4, 1), None)
