"""`bench/run hydro`: flood data at the province's scale (issue 11), on PostgreSQL.

2,000 synthetic stations (1,400 rain gauges, 400 river and 200 reservoir stations, in the shipped
Fujian counties) and a year (2017) of hourly observations — about 17.5 million rows — plus the
Nesat/Haitang sample tracks. Measured in one run:

1. **Import**: an SL 323 rain file (``BENCH_HYDRO_IMPORT_ROWS`` rows, UTF-8 CSV) through
   ``hydro_import`` (decode, every row checked, COPY into a staging table, the set-based upsert,
   rejects, audit) against the peer, a plain ``COPY … FROM STDIN (FORMAT csv, HEADER)`` of the
   same file into a table of the same shape and keys — the ceiling (target ≥ 0.5×). The snapshot
   rebuild an import triggers is timed on its own.
2. **Briefing**: the daily briefing's numbers for 31 Jul 06:00 – 1 Aug 06:00 (target ≤ 2 s), and
   the whole draft with its charts.
3. **Location answer**: the passive reply to a shared location (p50/p99 over random places in
   Fujian, target p99 ≤ 200 ms), against the same answer computed from the observation tables
   (no snapshot).
4. **Live pages**: each /flood/ page and its data through Django's test client (p50/p99,
   target ≤ 300 ms).
5. **Time index** (docs/architecture.md, partitioning): the window query "every gauge's rain in
   24 h" with the BRIN index on time, with a B-tree instead, and with neither; the indexes' sizes;
   rows per month.

Environment: BENCH_PG_URL [postgres://postgres@127.0.0.1:5432], BENCH_HYDRO_STATIONS [2000],
BENCH_HYDRO_DAYS [365], BENCH_HYDRO_IMPORT_ROWS [200000], BENCH_HYDRO_SAMPLES [300],
BENCH_HYDRO_KEEP [unset: recreate the database; 1: reuse it when it is already filled].
Results: printed, and bench/results/hydro-<date>.md.
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = "zhengwei_bench_hydro"
N_STATIONS = int(os.environ.get("BENCH_HYDRO_STATIONS") or 2000)
DAYS = int(os.environ.get("BENCH_HYDRO_DAYS") or 365)
IMPORT_ROWS = int(os.environ.get("BENCH_HYDRO_IMPORT_ROWS") or 200_000)
SAMPLES = int(os.environ.get("BENCH_HYDRO_SAMPLES") or 300)
KEEP = os.environ.get("BENCH_HYDRO_KEEP") == "1"
BJ = ZoneInfo("Asia/Shanghai")
YEAR_START = datetime(2017, 1, 1, 1, tzinfo=BJ)
WINDOW = (datetime(2017, 7, 31, 6, tzinfo=BJ), datetime(2017, 8, 1, 6, tzinfo=BJ))
TARGETS = {"briefing": 2.0, "location_p99": 0.2, "page_p99": 0.3, "import_ratio": 0.5}
# Shares of the stations by type, as in a province's network (rain gauges dominate).
TYPES = (("PP", 0.70), ("ZZ", 0.20), ("RR", 0.10))

os.environ["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwei.settings")
os.environ.setdefault("DEBUG", "true")  # static files without collectstatic
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("HYDRO_REJECTS_DIR", str(RESULTS / "hydro-rejects"))


def psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", f"{PG_URL}/{db}", "-tAqc", sql], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def fresh_database() -> bool:
    """Recreate and migrate the bench database; False when kept (already filled)."""
    if KEEP:
        try:
            if psql("select exists (select 1 from hydro_rainobservation)", PG_DB) == "t":
                _migrate()  # the filled rows stay; the schema follows the code being measured
                return False
        except subprocess.CalledProcessError:
            pass
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DB}")
    _migrate()
    return True


def _migrate() -> None:
    for command in ("migrate", "createcachetable"):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), command, "-v0"], check=True, cwd=ROOT
        )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- data ------------------------------------------------------------------------------------
def stations_fill(rng: random.Random) -> dict[str, list[str]]:
    """2,000 synthetic stations inside the shipped county outlines; thresholds for the river
    stations and reservoirs. Returns station codes by type."""
    from zhengwei.hydro.models import Station, Threshold
    from zhengwei.hydro.services.regions import regions_ensure
    from zhengwei.reports import geo

    regions = regions_ensure()
    counties = [c for c in geo.counties() if c.code in regions]
    by_type: dict[str, list[str]] = {t: [] for t, _ in TYPES}
    stations, thresholds = [], []
    for n in range(N_STATIONS):
        share, sttp = 0.0, "PP"
        for kind, part in TYPES:
            share += part
            if n < share * N_STATIONS:
                sttp = kind
                break
        county = rng.choice(counties)
        x0, y0, x1, y1 = county.bbox
        for _ in range(50):
            lng, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if county.contains(lng, lat):
                break
        stcd = f"8{n:07d}"
        by_type[sttp].append(stcd)
        stations.append(
            Station(
                stcd=stcd,
                name=f"基准站{n:04d}",
                sttp=sttp,
                region=regions[county.code],
                lng=round(lng, 5),
                lat=round(lat, 5),
                normal_capacity=round(rng.uniform(5, 500), 1) if sttp == "RR" else None,
                synthetic=True,
                source="synthetic (bench)",
            )
        )
        if sttp == "ZZ":
            thresholds += [
                Threshold(station_id=stcd, kind="WRZ", value=20.0),
                Threshold(station_id=stcd, kind="GRZ", value=22.0),
            ]
        elif sttp == "RR":
            thresholds.append(
                Threshold(
                    station_id=stcd,
                    kind="FSLTDZ",
                    value=60.0,
                    season_begin="0415",
                    season_end="1015",
                )
            )
    Station.objects.bulk_create(stations, batch_size=1000)
    Threshold.objects.bulk_create(thresholds, batch_size=1000)
    return by_type


def observations_fill() -> None:
    """A year of hourly rows per station, in time order (as a feed delivers them), by SQL."""
    from django.db import connection

    hours = DAYS * 24
    t0 = YEAR_START.isoformat()
    # LATERAL (the subquery names h) keeps the hours as the outer loop: rows come out in time
    # order, as a feed delivers them, without sorting 12 million rows.
    series = (
        f"FROM generate_series(0, {hours - 1}) AS h CROSS JOIN LATERAL "
        "(SELECT stcd FROM hydro_station WHERE sttp = '{sttp}' AND h >= 0 ORDER BY stcd) AS s"
    )
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO hydro_rainobservation (station_id, tm, drp, intv) "
            f"SELECT s.stcd, '{t0}'::timestamptz + h * interval '1 hour', "
            "CASE WHEN random() < 0.08 THEN round((random() * 30)::numeric, 1) ELSE 0 END, 1 "
            + series.format(sttp="PP")
        )
        cur.execute(
            "INSERT INTO hydro_riverobservation (station_id, tm, z, q, wptn) "
            f"SELECT s.stcd, '{t0}'::timestamptz + h * interval '1 hour', "
            "round((17 + 4 * random())::numeric, 2), round((random() * 900)::numeric, 1), '6' "
            + series.format(sttp="ZZ")
        )
        cur.execute(
            "INSERT INTO hydro_reservoirobservation (station_id, tm, rz, w, rwptn) "
            f"SELECT s.stcd, '{t0}'::timestamptz + h * interval '1 hour', "
            "round((58 + 3 * random())::numeric, 2), round((random() * 400)::numeric, 1), '6' "
            + series.format(sttp="RR")
        )


def import_file(gauges: list[str]) -> tuple[bytes, int]:
    """An SL 323 rain file after the filled year: IMPORT_ROWS rows, hour by hour."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["STCD", "TM", "DRP", "INTV", "PDR", "DYP", "WTH"])
    start = YEAR_START + timedelta(days=DAYS)
    rows, hour = 0, 0
    while rows < IMPORT_ROWS:
        tm = (start + timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M:%S")
        for stcd in gauges:
            writer.writerow([stcd, tm, f"{(rows * 7) % 300 / 10:.1f}", "1.00", "", "", "7"])
            rows += 1
            if rows == IMPORT_ROWS:
                break
        hour += 1
    return buffer.getvalue().encode("utf-8"), rows


# --- measurements ----------------------------------------------------------------------------
def measure_import(data: bytes, rows: int) -> dict:
    from django.db import connection

    from zhengwei.hydro.services import imports, snapshot
    from zhengwei.lib import events

    # The peer: the same bytes COPY'd into a plain table with the same columns and keys.
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy_rain")
        cur.execute(
            "CREATE TABLE bench_copy_rain (stcd varchar(12), tm timestamptz, drp numeric(5,1), "
            "intv numeric(5,2), pdr numeric(5,2), dyp numeric(5,1), wth char(1), "
            "PRIMARY KEY (stcd, tm))"
        )
        cur.execute("SET TIME ZONE 'Asia/Shanghai'")  # SL 323 files hold Beijing time
        t = time.perf_counter()
        with cur.cursor.copy("COPY bench_copy_rain FROM STDIN (FORMAT csv, HEADER)") as copy:
            copy.write(data)
        copy_s = time.perf_counter() - t
        cur.execute("SELECT count(*) FROM bench_copy_rain")
        copied = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_copy_rain")
    # Ours, without the snapshot rebuild the import event triggers (timed next): first as new
    # hours (a kept database from an earlier run loses them first), then the same file again,
    # every row an update (the upsert through the staging table).
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM hydro_rainobservation WHERE tm >= %s", [YEAR_START + timedelta(days=DAYS)]
        )
        # A feed's new hours were never in the table: without this, a kept database's dead rows
        # of the same keys cost every insert a visit to the heap.
        cur.execute("VACUUM hydro_rainobservation")
    listeners = events._listeners.pop("hydro.imported", [])
    try:
        t = time.perf_counter()
        run = imports.hydro_import(actor=None, data=data, name="ST_PPTN_R-bench.csv")
        ours_s = time.perf_counter() - t
        t = time.perf_counter()
        again = imports.hydro_import(actor=None, data=data, name="ST_PPTN_R-bench-again.csv")
        again_s = time.perf_counter() - t
    finally:
        events._listeners["hydro.imported"] = listeners
    t = time.perf_counter()
    snapshot.snapshot_rebuild()
    rebuild_s = time.perf_counter() - t
    assert run.status == "done" and run.rows_stored == rows == copied, (run.status, run.error)
    assert again.status == "done" and again.rows_stored == rows, (again.status, again.error)
    return {
        "again_s": again_s,
        "again_rps": rows / again_s,
        "rows": rows,
        "copy_s": copy_s,
        "ours_s": ours_s,
        "rebuild_s": rebuild_s,
        "copy_rps": rows / copy_s,
        "ours_rps": rows / ours_s,
    }


def measure_briefing() -> dict:
    from django.contrib.auth import get_user_model

    from zhengwei.hydro import briefing_numbers
    from zhengwei.hydro.services.briefings import briefing_generate
    from zhengwei.orgs.models import Organisation, OrgKind, WeChatAccount

    times = []
    for _ in range(3):
        t = time.perf_counter()
        numbers = briefing_numbers.compute(*WINDOW)
        times.append(time.perf_counter() - t)
    office, _ = Organisation.objects.get_or_create(
        name="基准测试防汛办", defaults={"kind": OrgKind.OFFICE}
    )
    account, _ = WeChatAccount.objects.get_or_create(
        original_id="gh_benchhydro01",
        defaults={
            "office": office,
            "name": "基准账号",
            "app_id": "wxbenchhydro00001",
            "token": "benchtoken123",
            "encoding_aes_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        },
    )
    root = get_user_model().objects.filter(username="benchroot").first()
    root = root or get_user_model().objects.create_superuser("benchroot", password="x")
    t = time.perf_counter()
    briefing_generate(actor=root, account=account, start=WINDOW[0], end=WINDOW[1])
    full_s = time.perf_counter() - t
    over50 = numbers["figures"]["rain_over_50"]["value"]
    return {"numbers_s": min(times), "full_s": full_s, "over50": over50}


def _naive_location(lat: float, lng: float, at: datetime) -> str:
    """The location answer without the snapshot: nearest stations from the station table, their
    24-hour rain and latest level from the observation tables, warnings from theirs."""
    from zhengwei.hydro import answers
    from zhengwei.hydro import selectors as S

    stations = S.stations_by_code()
    near = sorted(
        (answers._km(lat, lng, s.lat, s.lng), stcd)
        for stcd, s in stations.items()
        if s.lat is not None
    )[:20]
    codes = [stcd for _d, stcd in near]
    rain = S.rain_totals(at - timedelta(hours=24), at, stations=codes)
    levels = S.latest_levels(at)
    list(S.active_warnings(at))
    list(S.active_responses(at))
    return f"{len(rain)} {len([c for c in codes if c in levels])}"


def measure_location(rng: random.Random) -> dict:
    from zhengwei.hydro import chat
    from zhengwei.hydro import selectors as S
    from zhengwei.lib import wxxml

    places = [(rng.uniform(24.0, 27.8), rng.uniform(116.5, 120.2)) for _ in range(SAMPLES)]

    def parsed(lat, lng):
        return wxxml.parse_message(
            "<xml><ToUserName>gh_benchhydro01</ToUserName><FromUserName>oBench</FromUserName>"
            "<CreateTime>1501459200</CreateTime><MsgType>location</MsgType>"
            f"<Location_X>{lat:.6f}</Location_X><Location_Y>{lng:.6f}</Location_Y>"
            "<Scale>16</Scale><Label>bench</Label><MsgId>1</MsgId></xml>"
        )

    ours = []
    for lat, lng in places:
        message = parsed(lat, lng)
        t = time.perf_counter()
        text = chat.location_answer(message)
        ours.append(time.perf_counter() - t)
        assert text and "截至" in text, text
    at = S.as_of()
    naive = []
    for lat, lng in places[: max(20, SAMPLES // 10)]:
        t = time.perf_counter()
        _naive_location(lat, lng, at)
        naive.append(time.perf_counter() - t)
    return {
        "p50": percentile(ours, 50),
        "p99": percentile(ours, 99),
        "naive_p50": percentile(naive, 50),
        "naive_p99": percentile(naive, 99),
    }


def measure_pages() -> dict[str, dict]:
    from django.test import Client

    client = Client()
    pages = {
        "/flood/": "汛情实况",
        "/flood/rain/": "雨情",
        "/flood/water/": "水情",
        "/flood/typhoon/201709/": "纳沙",
        "/flood/typhoon/201709.json": "observed",
        "/flood/stations.geojson": "FeatureCollection",
    }
    result = {}
    for url, marker in pages.items():
        times = []
        for _ in range(max(20, SAMPLES // 5)):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200 and marker in response.content.decode(), url
        result[url] = {
            "p50": percentile(times, 50),
            "p99": percentile(times, 99),
            "kb": len(response.content) / 1024,
        }
    return result


def measure_time_index() -> dict:
    """The 24-hour window query with BRIN, B-tree and no index on time; sizes; rows/month."""
    from django.db import connection

    table = "hydro_rainobservation"
    start, end = WINDOW
    query = (
        f"SELECT station_id, sum(drp) FROM {table} WHERE tm > %s AND tm <= %s GROUP BY station_id"
    )

    def timed() -> float:
        best = None
        with connection.cursor() as cur:
            for _ in range(3):
                t = time.perf_counter()
                cur.execute(query, [start, end])
                cur.fetchall()
                took = time.perf_counter() - t
                best = took if best is None else min(best, took)
        return best

    def size(index: str) -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_relation_size(%s::regclass)", [index])
            return cur.fetchone()[0]

    out = {}
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        (rows,) = cur.fetchone()
        cur.execute(
            "SELECT (SELECT count(*) FROM hydro_riverobservation) "
            "+ (SELECT count(*) FROM hydro_reservoirobservation)"
        )
        other = cur.fetchone()[0]
    # Months of data, not calendar months touched: the hourly year starts at 01:00 Beijing time
    # (17:00 UTC on 31 Dec), so counting distinct months gave 13 for 12 months' rows.
    out["rows"], out["all_rows"], out["months"] = rows, rows + other, DAYS * 12 / 365
    out["brin_s"], out["brin_bytes"] = timed(), size(f"{table}_tm_idx")
    out["pk_bytes"] = size(f"{table}_pkey")
    out["table_bytes"] = int(psql(f"SELECT pg_relation_size('{table}')", PG_DB))
    with connection.cursor() as cur:
        cur.execute(f"DROP INDEX {table}_tm_idx")
        t = time.perf_counter()
        cur.execute(f"CREATE INDEX bench_rain_tm_btree ON {table} (tm)")
        out["btree_build_s"] = time.perf_counter() - t
    out["btree_s"], out["btree_bytes"] = timed(), size("bench_rain_tm_btree")
    with connection.cursor() as cur:
        cur.execute("DROP INDEX bench_rain_tm_btree")
    out["none_s"] = timed()
    with connection.cursor() as cur:
        t = time.perf_counter()
        cur.execute(
            f"CREATE INDEX {table}_tm_idx ON {table} USING brin (tm) WITH (pages_per_range = 32)"
        )
        out["brin_build_s"] = time.perf_counter() - t
    return out


# --- report ----------------------------------------------------------------------------------
def main() -> None:
    filled_now = fresh_database()
    import django

    django.setup()
    from zhengwei.hydro.models import Station
    from zhengwei.hydro.samples import demo as samples
    from zhengwei.hydro.services import imports, snapshot

    rng = random.Random(1709)
    if filled_now:
        print(
            f"» filling: {N_STATIONS:,} stations × {DAYS} days of hourly observations …",
            flush=True,
        )
        t = time.perf_counter()
        stations_fill(rng)
        observations_fill()
        sample = Path(samples.__file__).resolve().parent / "typhoons-2017-nesat-haitang.json"
        imports.hydro_import(actor=None, data=sample.read_bytes(), name=sample.name)
        print(f"  filled in {time.perf_counter() - t:.0f} s", flush=True)
    # What autovacuum does to a table soon after a bulk load, done now so the run does not
    # depend on when it came: statistics, the visibility map, and the BRIN ranges summarised
    # (an unsummarised range is read whole by every window query).
    print("» vacuum analyze …", flush=True)
    for table in ("hydro_rainobservation", "hydro_riverobservation", "hydro_reservoirobservation"):
        psql(f"VACUUM (ANALYZE) {table}", PG_DB)
    gauges = list(Station.objects.filter(sttp="PP").order_by("stcd").values_list("stcd", flat=True))
    snapshot.snapshot_rebuild(WINDOW[1])

    lines = [f"# bench/run hydro — {datetime.now():%Y-%m-%d %H:%M}", ""]

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    index = measure_time_index()
    say(
        f"Data: {Station.objects.count():,} stations, {index['all_rows']:,} observation rows "
        f"({index['rows']:,} rain) over {index['months']:.0f} months — "
        f"{index['all_rows'] / index['months']:,.0f} rows a month."
    )
    say()
    say("| measured | zhengwei | peer | ratio | target |")
    say("|---|---|---|---|---|")

    data, rows = import_file(gauges)
    imp = measure_import(data, rows)
    ratio = imp["ours_rps"] / imp["copy_rps"]
    say(
        f"| import {rows:,} SL 323 rain rows (CSV, checked, upserted) | "
        f"{imp['ours_rps']:,.0f} rows/s ({imp['ours_s']:.2f} s) | plain COPY of the same file: "
        f"{imp['copy_rps']:,.0f} rows/s ({imp['copy_s']:.2f} s) | {ratio:.2f}× of COPY | "
        f"≥ {TARGETS['import_ratio']}× {'✓' if ratio >= TARGETS['import_ratio'] else '✗'} |"
    )
    say(
        f"| the same file again (every row an update: staging table + upsert) | "
        f"{imp['again_rps']:,.0f} rows/s ({imp['again_s']:.2f} s) | — | "
        f"{imp['again_rps'] / imp['copy_rps']:.2f}× of COPY | — |"
    )
    say(f"| snapshot rebuild after the import | {imp['rebuild_s']:.2f} s | — | — | — |")

    snapshot.snapshot_rebuild(WINDOW[1])
    brief = measure_briefing()
    ok = "✓" if brief["numbers_s"] <= TARGETS["briefing"] else "✗"
    say(
        f"| daily briefing numbers (31 Jul 06:00 – 1 Aug 06:00) | {brief['numbers_s']:.2f} s | — | "
        f"{brief['numbers_s'] / TARGETS['briefing']:.2f} of the target | ≤ 2 s {ok} |"
    )
    say(f"| whole draft briefing with its 5 charts | {brief['full_s']:.2f} s | — | — | — |")

    loc = measure_location(rng)
    ok = "✓" if loc["p99"] <= TARGETS["location_p99"] else "✗"
    say(
        f"| location answer, p50 / p99 ({SAMPLES} places) | {loc['p50'] * 1000:.1f} / "
        f"{loc['p99'] * 1000:.1f} ms | from the observation tables (no snapshot): "
        f"{loc['naive_p50'] * 1000:.0f} / {loc['naive_p99'] * 1000:.0f} ms | "
        f"{loc['naive_p50'] / loc['p50']:.0f}× faster | p99 ≤ 200 ms {ok} |"
    )
    for url, page in measure_pages().items():
        ok = "✓" if page["p99"] <= TARGETS["page_p99"] else "✗"
        say(
            f"| live page `{url}`, p50 / p99 ({page['kb']:.0f} kB) | {page['p50'] * 1000:.1f} / "
            f"{page['p99'] * 1000:.1f} ms | — | — | p99 ≤ 300 ms {ok} |"
        )
    say(
        f"| 24-hour window query, every gauge (BRIN on time) | {index['brin_s'] * 1000:.1f} ms, "
        f"index {index['brin_bytes'] / 1024:,.0f} kB | B-tree on time: "
        f"{index['btree_s'] * 1000:.1f} ms, index {index['btree_bytes'] / 2**20:,.0f} MB "
        f"(built in {index['btree_build_s']:.0f} s); no time index: {index['none_s'] * 1000:,.0f} ms "
        f"| {index['btree_bytes'] / max(index['brin_bytes'], 1):,.0f}× smaller, "
        f"{index['btree_s'] / index['brin_s']:.2f}× the B-tree's speed | — |"
    )
    say()
    say(
        f"Rain table {index['table_bytes'] / 2**20:,.0f} MB, its primary key (station, time) "
        f"{index['pk_bytes'] / 2**20:,.0f} MB. Briefing window: {brief['over50']} gauges over 50 mm."
    )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"hydro-{datetime.now():%Y%m%d-%H%M}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"» written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
