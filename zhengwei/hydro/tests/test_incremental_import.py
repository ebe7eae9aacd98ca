import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command

from zhengwei.hydro.models import ImportRun, ImportStatus, RainObservation, Snapshot
from zhengwei.hydro.tests.helpers import RAIN, STATIONS, stations

pytestmark = pytest.mark.django_db


def test_hydro_tick_takes_in_the_inbox_once_and_moves_the_files(settings):
    inbox = Path(settings.HYDRO_INBOX)
    inbox.mkdir(parents=True)
    (inbox / "ST_PPTN_R-0731.csv").write_text(RAIN, encoding="gbk")
    (inbox / "ST_STBPRP_B.csv").write_text(STATIONS, encoding="utf-8")
    (inbox / "junk.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    call_command("hydro_tick")
    assert RainObservation.objects.count() == 3  # stations went first
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [
        "ST_PPTN_R-0731.csv",
        "ST_STBPRP_B.csv",
    ]
    assert [p.name for p in (inbox / "failed").iterdir()] == ["junk.csv"]
    # The same file dropped again is recognised and not imported twice.
    (inbox / "again.csv").write_text(RAIN, encoding="gbk")
    runs = ImportRun.objects.count()
    call_command("hydro_tick")
    assert ImportRun.objects.count() == runs
    assert (inbox / "done" / "again.csv").exists()
    top = Snapshot.objects.get().data["rain_top"]
    assert sorted(top) == [["90000002", 83.5], ["90000003", 83.5]]


def test_the_command_imports_files_and_fails_loudly_on_a_refused_one(tmp_path):
    stations()
    good, bad = tmp_path / "ST_PPTN_R.csv", tmp_path / "bad.csv"
    good.write_text(RAIN, encoding="utf-8")
    bad.write_text("hello\n", encoding="utf-8")
    with pytest.raises(Exception, match="1 of 2 imports failed"):
        call_command("hydro_import", str(good), str(bad), "--quiet-progress")
    assert RainObservation.objects.count() == 3


def _source_db(path: Path) -> str:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE ST_STBPRP_B (STCD TEXT, STNM TEXT, RVNM TEXT, LGTD REAL, LTTD REAL, "
        "ADDVCD TEXT, STTP TEXT)"
    )
    db.execute("CREATE TABLE ST_PPTN_R (STCD TEXT, TM TIMESTAMP, DRP REAL, INTV REAL, MPCD TEXT)")
    db.execute("CREATE TABLE ST_RIVER_R (STCD TEXT, TM TIMESTAMP, Z REAL, Q REAL, WPTN TEXT)")
    db.execute("CREATE TABLE ST_RSVR_R (STCD TEXT, TM TIMESTAMP, RZ REAL, W REAL)")
    db.execute(
        "INSERT INTO ST_STBPRP_B VALUES ('90000002','云山','大樟溪',118.8,25.9,'350125','PP')"
    )
    db.executemany(
        "INSERT INTO ST_PPTN_R VALUES (?,?,?,?,?)",
        [
            ("90000002", "2017-07-31 04:00:00", 35.5, 1, "1"),
            ("90000002", "2017-07-31 05:00:00", 48.0, 1, "1"),
            ("90000002", "2017-07-31 06:00:00", -2, 1, "1"),
        ],
    )
    db.commit()
    db.close()
    return f"sqlite:///{path}"


def test_sl323_tables_are_pulled_from_a_database_connection_incrementally(tmp_path):
    url = _source_db(tmp_path / "sl323.db")
    call_command("hydro_import", "--from-db", url, "--quiet-progress")
    assert RainObservation.objects.count() == 2
    rain = ImportRun.objects.get(source__endswith="#ST_PPTN_R")
    assert rain.status == ImportStatus.PARTIAL and "negative rain" in rain.error
    db = sqlite3.connect(tmp_path / "sl323.db")
    db.execute("INSERT INTO ST_PPTN_R VALUES ('90000002','2017-07-31 07:00:00',12.0,1,'1')")
    db.commit()
    db.close()
    call_command("hydro_import", "--from-db", url, "--quiet-progress")
    assert RainObservation.objects.count() == 3
