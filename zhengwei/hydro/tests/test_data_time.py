"""The live pages' "now" is the newest observation held in any of the three tables."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zhengwei.hydro.models import RiverObservation, Station
from zhengwei.hydro.selectors import data_time
from zhengwei.hydro.tests.helpers import RAIN, load, stations

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def test_with_no_observations_there_is_no_data_time():
    stations()
    assert data_time() is None


def test_the_data_time_is_the_newest_row_across_stations_and_tables():
    stations()
    load(RAIN, "ST_PPTN_R.csv")
    assert data_time() == datetime(2017, 7, 31, 5, tzinfo=BEIJING)
    RiverObservation.objects.create(
        station=Station.objects.get(pk="90000001"),
        tm=datetime(2017, 7, 31, 6, tzinfo=BEIJING),
        z="20.10",
    )
    assert data_time() == datetime(2017, 7, 31, 6, tzinfo=BEIJING)
