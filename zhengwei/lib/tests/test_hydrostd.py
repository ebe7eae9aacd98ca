from datetime import date

import pytest

from zhengwei.lib import hydrostd as H


@pytest.mark.parametrize(
    ("mm", "hours", "name"),
    [
        (0, 24, "微量降雨（零星小雨）"),
        (0.04, 24, "微量降雨（零星小雨）"),
        (0.1, 24, "小雨"),
        (9.9, 24, "小雨"),
        (9.96, 24, "中雨"),
        (10.0, 24, "中雨"),
        (24.9, 24, "中雨"),
        (25.0, 24, "大雨"),
        (50.0, 24, "暴雨"),
        (99.9, 24, "暴雨"),
        (100.0, 24, "大暴雨"),
        (249.9, 24, "大暴雨"),
        (250.0, 24, "特大暴雨"),
        (507.7, 24, "特大暴雨"),
        (4.9, 12, "小雨"),
        (5.0, 12, "中雨"),
        (15.0, 12, "大雨"),
        (30.0, 12, "暴雨"),
        (69.9, 12, "暴雨"),
        (70.0, 12, "大暴雨"),
        (140.0, 12, "特大暴雨"),
    ],
)
def test_rain_grades_follow_gb_t_28592_at_every_bound(mm, hours, name):
    assert H.rain_grade(mm, hours).name == name


def test_rain_grades_refuse_other_windows_and_negative_rain():
    with pytest.raises(ValueError):
        H.rain_grade(10, 6)
    with pytest.raises(ValueError):
        H.rain_grade(-1)


@pytest.mark.parametrize(
    ("wind", "code", "name"),
    [
        (10.7, "WEAK", "弱于热带低压"),
        (10.8, "TD", "热带低压"),
        (17.1, "TD", "热带低压"),
        (17.2, "TS", "热带风暴"),
        (24.5, "STS", "强热带风暴"),
        (32.6, "STS", "强热带风暴"),
        (33, "TY", "台风"),
        (40, "TY", "台风"),
        (41.5, "STY", "强台风"),
        (50.9, "STY", "强台风"),
        (51.0, "SuperTY", "超强台风"),
    ],
)
def test_typhoon_grades_follow_gb_t_19201(wind, code, name):
    grade = H.typhoon_grade(wind)
    assert (grade.code, grade.name) == (code, name)


def test_cma_best_track_grade_codes_map_to_the_same_grades():
    assert H.cma_grade(4).name == "台风"
    assert H.cma_grade(9).code == "ET"
    with pytest.raises(ValueError):
        H.cma_grade(7)


@pytest.mark.parametrize(
    ("wind", "force"), [(33, 12), (40, 13), (12, 6), (18, 8), (48, 15), (61.3, 18)]
)
def test_beaufort_force_of_bulletin_winds(wind, force):
    assert H.beaufort(wind) == force


def test_beaufort_label_reads_like_a_bulletin():
    assert H.beaufort_label(13) == "13级"
    assert H.beaufort_label(18) == "17级以上"


def test_station_status_uses_the_threshold_valid_on_the_day():
    limits = [
        H.Limit("WRZ", 130.0, valid_to=date(2020, 1, 1)),
        H.Limit("WRZ", 131.0, valid_from=date(2020, 1, 1)),
        H.Limit("GRZ", 134.0),
    ]
    assert H.station_status(130.5, limits, date(2017, 7, 31)).code == H.OVER_WARNING
    assert H.station_status(130.5, limits, date(2022, 6, 18)).code == H.NORMAL
    over = H.station_status(131.45, limits, date(2022, 6, 18))
    assert (over.name, over.limit, over.margin) == ("超警戒", 131.0, 0.45)
    assert H.station_status(135, limits, date(2022, 6, 18)).name == "超保证"


def test_flood_limit_applies_only_in_its_season_even_across_new_year():
    summer = H.Limit("FSLTDZ", 60.0, season_begin="0415", season_end="0715")
    winter = H.Limit("FSLTDZ", 58.0, season_begin="1101", season_end="0131")
    assert H.station_status(61, [summer], date(2017, 7, 1)).name == "超汛限"
    assert H.station_status(61, [summer], date(2017, 8, 1)).code == H.NORMAL
    assert H.station_status(59, [winter], date(2018, 1, 10)).name == "超汛限"
    assert H.station_status(59, [winter], date(2018, 3, 10)).code == H.NORMAL


def test_no_level_is_normal():
    assert H.station_status(None, [], date(2017, 7, 1)).code == H.NORMAL


def test_warning_lines_put_fujian_inside_and_the_open_pacific_outside():
    assert H.inside_24h_line(119.3, 26.1)  # 福州
    assert H.inside_48h_line(119.3, 26.1)
    assert not H.inside_24h_line(124.7, 20.7)  # Nesat on 28 July 17:00
    assert H.inside_48h_line(124.7, 20.7)
    assert not H.inside_48h_line(135.0, 20.0)
