"""The 汛情实况 pages: public, from the current picture, cacheable for a minute."""


def test_the_live_pages_show_the_demo_story_without_signing_in(client, flood):
    index = client.get("/flood/")
    assert index.status_code == 200
    assert "纳沙" in index.content.decode() and "2017-08-01 06:00" in index.content.decode()
    assert index["Cache-Control"] == "public, max-age=60"
    rain = client.get("/flood/rain/").content.decode()
    assert "连江下宫" in rain and "507.7" in rain and "特大暴雨" in rain
    water = client.get("/flood/water/").content.decode()
    assert "超警戒" in water and "超汛限" in water


def test_the_typhoon_page_and_its_track_data(client, flood):
    page = client.get("/flood/typhoon/201709/")
    assert page.status_code == 200 and "纳沙" in page.content.decode()
    data = client.get("/flood/typhoon/201709.json").json()
    assert data["name"] == "纳沙" and len(data["observed"]) == 7
    assert data["observed"][0]["tm"] == "07-28 17:00" and data["observed"][0]["grade"] == "台风"
    assert list(data["forecasts"]) == ["中国"]
    assert data["radii"]["r7"] == "280|280|160|160"
    assert [lf["place"] for lf in data["landfalls"]] == ["台湾宜兰东部沿海", "福建福清沿海"]


def test_an_unknown_typhoon_is_not_found(client, db):
    assert client.get("/flood/typhoon/209901/").status_code == 404
    assert client.get("/flood/typhoon/").status_code == 404


def test_station_points_for_the_maps(client, flood):
    data = client.get("/flood/stations.geojson").json()
    names = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert names["连江下宫"]["p24"] == 507.7
    assert "status" in names["敖江（演示站）"]
