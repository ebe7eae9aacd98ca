"""A long file is read and stored chunk by chunk; rows of new hours and rows already held may be
mixed in any order, and each is stored once with the file's values."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from zhengwei.hydro.importers import sl323
from zhengwei.hydro.models import ImportStatus, RainObservation
from zhengwei.hydro.tests.helpers import load, stations

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")


def rain(hours, mm, *, extra=""):
    lines = [f"9000000{g},2017-07-31 {h:02d}:00:00,{mm},1.00" for h in hours for g in (2, 3)]
    return "STCD,TM,DRP,INTV\n" + "\n".join(lines) + "\n" + extra


def test_stored_and_new_hours_in_several_chunks_are_each_stored_once(monkeypatch):
    stations()
    assert load(rain(range(4, 8), "1.0")).rows_stored == 8
    monkeypatch.setattr(sl323, "CHUNK", 3)
    # Hours 8–9 are new, 5–6 are held: the chunks alternate between the two ways of storing,
    # and a bad line in the middle is still reported with its own line number.
    text = rain([8, 5, 9, 6], "2.5", extra="90000002,2017-07-31 10:00:00,-1,1.00\n")
    run = load(text, "ST_PPTN_R-mixed.csv")
    assert (run.status, run.rows_read, run.rows_stored, run.rows_rejected) == (
        ImportStatus.PARTIAL,
        9,
        8,
        1,
    )
    assert "line 10" in run.error and "negative rain" in run.error
    assert RainObservation.objects.count() == 12
    by_hour = {
        (r.station_id, r.tm.astimezone(BJ).hour): r.drp for r in RainObservation.objects.all()
    }
    assert {h for (_s, h), mm in by_hour.items() if mm == Decimal("2.5")} == {5, 6, 8, 9}
    assert by_hour[("90000002", 4)] == Decimal("1.0")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions are PostgreSQL's")
def test_a_file_sent_again_rewrites_no_row():
    stations()
    load(rain(range(4, 8), "1.0"))

    def versions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text FROM hydro_rainobservation ORDER BY station_id, tm")
            return [v for (v,) in cursor.fetchall()]

    before = versions()
    again = load(rain(range(4, 8), "1.0"))
    assert (again.status, again.rows_stored) == (ImportStatus.DONE, 8)
    assert versions() == before
    load(rain([4], "3.0"))
    assert versions() != before
    row = RainObservation.objects.get(station_id="90000003", tm=datetime(2017, 7, 31, 4, tzinfo=BJ))
    assert row.drp == Decimal("3.0")
