"""Small real-format files for the importer tests (SL 323 column names, Beijing times)."""

from __future__ import annotations

from zhengwei.hydro.services.imports import hydro_import

STATIONS = """STCD,STNM,RVNM,HNNM,BSNM,LGTD,LTTD,STLC,ADDVCD,DTMNM,DTMEL,STTP,USFL
90000001,永泰,大樟溪,闽江,东南诸河,118.93,25.87,永泰县樟城镇,350125,85黄海,0,ZZ,1
90000002,云山,大樟溪,闽江,东南诸河,118.80,25.90,永泰县云山村,350125,,,PP,1
90000003,下宫,敖江,敖江,东南诸河,119.60,26.30,连江县下宫乡,350122,,,PP,1
90000004,山仔水库,日溪,敖江,东南诸河,119.27,26.33,连江县潘渡乡,350122,85黄海,0,RR,1
"""

RAIN = """STCD,TM,DRP,INTV,PDR,DYP,WTH
90000002,2017-07-31 04:00:00,35.5,1.00,,,7
90000002,2017-07-31 05:00:00,48.0,1.00,,,7
90000003,2017-07-31 05:00:00,83.5,1.00,,,7
"""


def load(text: str, name: str = "file.csv", *, kind=None, encoding="utf-8", actor=None):
    return hydro_import(actor=actor, data=text.encode(encoding), name=name, kind=kind)


def stations():
    from zhengwei.hydro.models import Station, Threshold

    run = load(STATIONS, "ST_STBPRP_B.csv")
    Threshold.objects.create(station=Station.objects.get(pk="90000001"), kind="WRZ", value=19.5)
    Threshold.objects.create(station=Station.objects.get(pk="90000001"), kind="GRZ", value=22.0)
    Threshold.objects.create(
        station=Station.objects.get(pk="90000004"),
        kind="FSLTDZ",
        value=63.0,
        season_begin="0415",
        season_end="1015",
    )
    return run
