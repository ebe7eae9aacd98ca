import pytest

from zhengwei.reports import geo
from zhengwei.reports.models import LocationFlag
from zhengwei.reports.tests.helpers import LAT, LNG, receive

pytestmark = pytest.mark.django_db


def test_a_point_in_minhou_resolves_to_minhou(world):
    report = receive(world, lat=LAT, lng=LNG)
    assert (report.county_code, report.county_name) == ("350121", "闽侯县")
    assert report.location_flag == LocationFlag.OK


def test_gcj02_from_wechat_is_converted_to_wgs84_and_the_datum_recorded(world):
    gcj_lng, gcj_lat = geo.wgs84_to_gcj02(LNG, LAT)
    assert geo.haversine_m(LNG, LAT, gcj_lng, gcj_lat) > 100  # the offset is real
    report = receive(world, lat=gcj_lat, lng=gcj_lng, datum="gcj02")
    assert report.input_datum == "gcj02"
    assert geo.haversine_m(report.lng, report.lat, LNG, LAT) < 1


def test_the_gcj02_round_trip_is_accurate_to_a_metre_across_fujian():
    for lng, lat in [(119.30, 26.08), (118.09, 24.45), (117.0, 25.1), (120.2, 27.3)]:
        back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lng, lat))
        assert geo.haversine_m(lng, lat, *back) < 1


def test_a_point_outside_the_province_is_flagged_not_dropped(world):
    report = receive(world, lat=39.9, lng=116.4)  # Beijing
    assert report.pk and report.location_flag == LocationFlag.OUTSIDE_PROVINCE
    assert report.county_code == ""
    zhejiang = receive(world, lat=28.0, lng=120.65, phone="13800000002")  # Wenzhou
    assert zhejiang.location_flag == LocationFlag.OUTSIDE_PROVINCE


def test_a_point_at_sea_is_flagged_and_given_to_the_nearest_coastal_county(world):
    report = receive(world, lat=25.30, lng=119.90)  # east of Pingtan
    assert report.location_flag == LocationFlag.AT_SEA
    assert report.county_name == "平潭县"


def test_taiwan_is_not_the_sea(world):
    report = receive(world, lat=25.03, lng=121.5)
    assert report.location_flag == LocationFlag.OUTSIDE_PROVINCE


def test_a_report_without_location_is_flagged_missing_and_the_county_read_from_the_address(world):
    report = receive(world, lat=None, lng=None, address="闽侯县上街镇溪源宫路口")
    assert report.location_flag == LocationFlag.MISSING
    assert report.county_name == "闽侯县"
    assert report.lat is None


def test_a_vague_phone_location_is_flagged_low_accuracy(world):
    report = receive(world, accuracy_m=5000)
    assert report.location_flag == LocationFlag.LOW_ACCURACY
    assert report.county_name == "闽侯县"


def test_impossible_coordinates_are_refused_with_a_message(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        receive(world, lat=123, lng=119)
    assert "范围" in str(excinfo.value)


def test_every_county_of_fujian_is_shipped():
    counties = geo.counties()
    assert len(counties) == 84
    assert {c.city for c in counties} == {
        "福州市",
        "厦门市",
        "莆田市",
        "三明市",
        "泉州市",
        "漳州市",
        "南平市",
        "龙岩市",
        "宁德市",
    }
