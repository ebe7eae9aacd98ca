import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from zhengwei.audit.models import AuditEntry
from zhengwei.hydro.models import (
    ImportStatus,
    RainObservation,
    Region,
    RiverObservation,
    Station,
)
from zhengwei.hydro.tests.helpers import RAIN, load, stations

pytestmark = pytest.mark.django_db


def test_stations_are_imported_with_their_county():
    run = stations()
    assert run.status == ImportStatus.DONE
    assert run.rows_stored == 4
    yongtai = Station.objects.get(pk="90000001")
    assert (yongtai.name, yongtai.river, yongtai.sttp) == ("永泰", "大樟溪", "ZZ")
    assert yongtai.region.name == "永泰县"
    assert Region.objects.get(pk="350100").name == "福州市"


def test_rain_rows_are_stored_and_a_second_import_changes_nothing():
    stations()
    first = load(RAIN, "ST_PPTN_R.csv")
    assert (first.status, first.rows_stored) == (ImportStatus.DONE, 3)
    again = load(RAIN.replace("48.0", "48.5"), "ST_PPTN_R.csv")
    assert again.status == ImportStatus.DONE
    assert RainObservation.objects.count() == 3
    row = RainObservation.objects.get(
        station_id="90000002", tm=datetime(2017, 7, 30, 21, tzinfo=UTC)
    )
    assert row.drp == Decimal("48.5")


def test_a_gbk_file_is_read_like_a_utf8_one():
    stations()
    run = load(RAIN, "雨量.csv", encoding="gbk")
    assert run.status == ImportStatus.DONE
    assert RainObservation.objects.count() == 3


def test_bad_rows_are_rejected_with_file_and_line_and_kept_in_the_rejects_file():
    stations()
    text = (
        "STCD,TM,DRP,INTV\n"
        "90000002,2017-07-31 04:00,12.5,1\n"
        "90000002,2017-07-31 05:00,-3,1\n"  # line 3: negative rain
        "99999999,2017-07-31 05:00,1.0,1\n"  # line 4: unknown station
        "90000002,2017-07-31 04:00,12.5,1\n"  # line 5: duplicate of line 2
        "90000002,yesterday,1.0,1\n"  # line 6: unreadable time
        "90000003,2017-07-31 05:00,950,1\n"  # line 7: impossible hourly rain
        "90000003,2017-07-31 06:00\n"  # line 8: short row
    )
    run = load(text, "ST_PPTN_R-bad.csv")
    assert run.status == ImportStatus.PARTIAL
    assert (run.rows_read, run.rows_stored, run.rows_rejected) == (7, 1, 6)
    assert "line 3" in run.error and "negative rain" in run.error
    with Path(run.rejects_file).open(encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle))
    assert [r["line"] for r in rejects] == ["3", "4", "5", "6", "7", "8"]
    assert all(r["file"] == "ST_PPTN_R-bad.csv" for r in rejects)
    reasons = " | ".join(r["reason"] for r in rejects)
    for words in (
        "negative rain",
        "unknown station 99999999",
        "duplicate of line 2",
        "unreadable time",
        "impossible rain",
        "wrong number of columns",
    ):
        assert words in reasons
    assert rejects[1]["row"].startswith("99999999,")
    assert RainObservation.objects.count() == 1


def test_a_level_far_from_the_stations_thresholds_is_rejected():
    stations()
    text = (
        "STCD,TM,Z,Q,WPTN\n"
        "90000001,2017-07-31 06:00,20.12,850,5\n"
        "90000001,2017-07-31 07:00,120.12,850,5\n"  # 100 m off
        "90000002,2017-07-31 07:00,20.0,,\n"  # a rain gauge has no river level
    )
    run = load(text, "ST_RIVER_R.csv")
    assert run.rows_stored == 1 and run.rows_rejected == 2
    assert "100.6 m away" in run.error or "away from" in run.error
    assert RiverObservation.objects.get().z == Decimal("20.120")


def test_a_file_in_the_wrong_format_is_refused_whole():
    stations()
    run = load("name,value\nfoo,1\n", "notes.csv")
    assert run.status == ImportStatus.FAILED
    assert "line 1" in run.error and "unrecognised format" in run.error
    assert RainObservation.objects.count() == 0
    assert AuditEntry.objects.filter(action="hydro.import", outcome="refused").exists()


def test_a_file_of_the_wrong_table_is_refused_when_a_kind_is_asked_for():
    stations()
    run = load(RAIN, "ST_RIVER_R.csv", kind="ST_RIVER_R")
    assert run.status == ImportStatus.FAILED
    assert "expected a ST_RIVER_R table" in run.error
    assert RainObservation.objects.count() == 0


def test_an_undecodable_file_is_refused_with_its_line():
    stations()
    data = RAIN.encode() + b"90000002,2017-07-31 06:00:00,\xff\xfe\xfd,1\n"
    from zhengwei.hydro.services.imports import hydro_import

    run = hydro_import(actor=None, data=data, name="broken.csv")
    assert run.status == ImportStatus.FAILED
    assert "neither UTF-8 nor GBK" in run.error and "line 5" in run.error
    assert RainObservation.objects.count() == 0


def test_a_failure_while_storing_leaves_the_database_as_it_was(monkeypatch):
    stations()
    from zhengwei.hydro.importers import store

    def broken(*args, **kwargs):
        RainObservation.objects.all().delete()
        raise RuntimeError("disk full")

    load(RAIN, "ST_PPTN_R.csv")
    monkeypatch.setattr(store, "upsert_observations", broken)
    with pytest.raises(RuntimeError):
        load(RAIN.replace("48.0", "1.0"), "ST_PPTN_R.csv")
    assert RainObservation.objects.count() == 3
