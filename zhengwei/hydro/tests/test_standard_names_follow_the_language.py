"""The national standards' names (GB/T 28592-2012 rain grades, GB/T 19201-2006 typhoon grades,
station status, warning and response levels) and the typhoon map legend are English msgids: a
person who chose English reads them in English, everyone else in the standards' Chinese terms."""

import pytest
from django.utils import translation

from zhengwei.hydro import answers
from zhengwei.hydro.models import ResponseLevel, WarningLevel
from zhengwei.hydro.services import snapshot


@pytest.fixture(params=["en", "zh-hans"])
def language(request, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = request.param
    return request.param


NAMES = {
    "en": {
        "rain": ["Extreme rainstorm"],
        "water": ["Over the warning level", "Over the flood-season limit"],
        "typhoon": ["Tropical depression", "Severe tropical storm", "Super typhoon", "24-hour"],
    },
    "zh-hans": {
        "rain": ["特大暴雨"],
        "water": ["超警戒", "超汛限"],
        "typhoon": ["热带低压", "强热带风暴", "超强台风", "24小时警戒线"],
    },
}


def test_the_live_pages_name_grades_and_status_in_the_chosen_language(client, flood, language):
    other = "zh-hans" if language == "en" else "en"
    for page, url in (
        ("rain", "/flood/rain/"),
        ("water", "/flood/water/"),
        ("typhoon", "/flood/typhoon/201709/"),
    ):
        html = client.get(url).content.decode()
        for name in NAMES[language][page]:
            assert name in html, (url, name)
        for name in NAMES[other][page]:
            assert name not in html, (url, name)


def test_the_track_data_names_each_point_s_grade_in_the_chosen_language(client, flood, language):
    grade = client.get("/flood/typhoon/201709.json").json()["observed"][0]["grade"]
    assert grade == {"en": "Typhoon", "zh-hans": "台风"}[language]


def test_chat_answers_and_levels_follow_the_active_language(flood):
    data = snapshot.current()
    with translation.override("en"):
        assert "Extreme rainstorm" in answers.rain(data, "https://x/")
        assert str(ResponseLevel.II.label) == "Level II"
        assert str(WarningLevel.RED.label) == "Red"
    with translation.override("zh-hans"):
        assert "特大暴雨" in answers.rain(data, "https://x/")
        assert str(ResponseLevel.II.label) == "Ⅱ级"
        assert str(WarningLevel.RED.label) == "红色"
