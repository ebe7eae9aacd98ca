"""The chat answers' snapshot is read from the shared cache, and an import replaces it there."""

import pytest
from django.core.cache import cache

from zhengwei.hydro.models import Snapshot
from zhengwei.hydro.services import snapshot
from zhengwei.hydro.tests.helpers import RAIN, load, stations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_snapshot():
    cache.delete(snapshot.CACHE_KEY)
    yield
    cache.delete(snapshot.CACHE_KEY)


def test_the_snapshot_is_read_from_the_shared_cache_once_it_has_been_read():
    Snapshot.objects.create(key="current", built_at="2017-07-31T06:00:00Z", data={"at": "x"})
    assert snapshot.current() == {"at": "x"}
    # Changed behind the cache's back: readers keep the cached picture until its TTL.
    Snapshot.objects.filter(key="current").update(data={"at": "y"})
    assert cache.get(snapshot.CACHE_KEY) == {"at": "x"}
    assert snapshot.current() == {"at": "x"}


def test_an_import_puts_the_new_picture_in_the_cache(django_capture_on_commit_callbacks):
    stations()
    assert snapshot.current().get("rain_top") in (None, [])
    with django_capture_on_commit_callbacks(execute=True):
        load(RAIN, "ST_PPTN_R.csv")
    wettest = [["90000002", 83.5], ["90000003", 83.5]]
    assert sorted(cache.get(snapshot.CACHE_KEY)["rain_top"]) == wettest
    assert sorted(snapshot.current()["rain_top"]) == wettest
