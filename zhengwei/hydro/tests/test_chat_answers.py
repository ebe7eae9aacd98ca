"""Data answers in WeChat chat, through the real callback as a citizen's phone sends."""

import pytest

from zhengwei.interactions.tests.helpers import Phone, reply_text
from zhengwei.wechat.inbound import keys, replies


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.PUBLIC_URL = "https://fx.example.gov.cn"
    keys.forget_account()
    replies.forget_rules()
    yield
    keys.forget_account()
    replies.forget_rules()


@pytest.fixture
def phone(client, world, django_capture_on_commit_callbacks):
    return Phone(client, world.account, django_capture_on_commit_callbacks)


def test_rain_keyword_answers_with_the_wettest_gauges_and_the_live_page(phone, flood):
    text = reply_text(phone.text("雨情"))
    assert text.startswith(
        "【雨情】截至08-01 06:00，过去24小时雨量最大：连江下宫 507.7毫米（特大暴雨）"
    )
    assert "https://fx.example.gov.cn/flood/rain/" in text


def test_water_and_typhoon_keywords_answer_from_the_data(phone, flood):
    water = reply_text(phone.text("水情"))
    assert "超警戒" in water and "/flood/water/" in water
    typhoon = reply_text(phone.text("台风"))
    assert "纳沙" in typhoon and "海棠" in typhoon and "/flood/typhoon/" in typhoon


def test_warnings_keyword_lists_the_responses_in_force(phone, flood):
    text = reply_text(phone.text("预警"))
    assert "防暴雨" in text and "Ⅱ级" in text and "防台风" in text


def test_a_shared_location_gets_nearby_rain_levels_and_the_county_responses(phone, flood):
    # 连江县下宫乡, as WeChat sends it (GCJ-02).
    text = reply_text(phone.location(lat=26.3275, lng=119.7845, label="连江县下宫乡"))
    assert "连江县" in text
    assert "连江下宫" in text and "507.7" in text
    assert "防暴雨" in text


def test_a_long_question_is_left_to_the_inbox(phone, flood):
    assert reply_text(phone.text("请问明天台风来了学校会不会停课，我家孩子在连江一中")) == ""


def test_the_menu_click_answers_with_rain_and_water(phone, flood):
    text = reply_text(phone.click("RAIN_WATER"))
    assert "507.7" in text and "/flood/water/" in text


def test_without_flood_data_a_location_gets_the_report_receipt(phone, db):
    from zhengwei.interactions import wording

    assert reply_text(phone.location()) == wording.location_received()


def test_a_county_name_answers_with_that_countys_rain_levels_and_responses(phone, flood):
    text = reply_text(phone.text("连江"))
    assert text.startswith("连江县，截至08-01 06:00：")
    assert "连江下宫" in text and "507.7" in text and "特大暴雨" in text
    assert "永泰" not in text  # only the county's own stations
    assert "防暴雨" in text


def test_a_city_name_with_a_keyword_answers_for_the_city(phone, flood):
    text = reply_text(phone.text("福州雨情怎么样"))
    assert text.startswith("福州市，截至08-01 06:00：")
    assert "连江下宫" in text


def test_a_sentence_that_mentions_a_county_is_not_taken_for_a_place_query(phone, flood):
    assert reply_text(phone.text("连江下宫乡的桥被冲垮了，请派人来")) == ""
