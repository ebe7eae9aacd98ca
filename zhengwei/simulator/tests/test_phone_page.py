"""The citizen's phone page: a person can follow, write, send a location or a photo, press the
menu, and sees passive replies, customer-service messages and pushes, polled every 2 s."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwei.simulator.citizen import sample_photo
from zhengwei.simulator.models import ItemSource, SimFollower, SimPhoneItem
from zhengwei.simulator.tests.helpers import Receiver, WechatpyCallback

pytestmark = pytest.mark.django_db(databases="__all__")

OPENID = "oFjFx0LinNvShi0000MinHou0001"


@pytest.fixture
def peer(account):
    callback = WechatpyCallback(account)
    server = Receiver(callback)
    account.callback_url = f"{server.url}/wechat/callback/{account.original_id}/"
    account.save()
    yield callback
    server.close()


def post(client, action, openid=OPENID, **data):
    return client.post(f"/sim/phone/{openid}/{action}/", data, HTTP_HX_REQUEST="true")


def test_the_index_lists_the_demo_citizens_and_seeds_itself(client, db):
    page = client.get("/sim/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "林女士（闽侯）" in html and "福建防汛" in html
    assert "新市民" in html  # the "new citizen" button, in Chinese


def test_a_new_citizen_follows_and_lands_on_the_phone(client, peer):
    response = client.post("/sim/citizens/new/", {"nickname": "测试市民"})
    assert response.status_code == 302
    follower = SimFollower.objects.get(nickname="测试市民")
    assert response["Location"] == f"/sim/phone/{follower.openid}/"
    assert peer.messages[0].event == "subscribe"
    page = client.get(response["Location"]).content.decode()
    assert "测试市民" in page


def test_the_phone_shows_the_default_menu_until_the_platform_creates_one(client, api, peer):
    html = client.get(f"/sim/phone/{OPENID}/").content.decode()
    for name in ("汛情实况", "工作动态", "我报灾情", "发送位置", "拍照上报"):
        assert name in html
    menu = [{"type": "click", "name": "今日雨情", "key": "RAIN"}]
    api.post("cgi-bin/menu/create", {"button": menu})
    html = client.get(f"/sim/phone/{OPENID}/").content.decode()
    assert "今日雨情" in html and "汛情实况" not in html


def test_a_typed_message_and_its_passive_reply_appear_in_the_thread(client, peer):
    response = post(client, "text", text="五一广场积水")
    assert response.status_code == 200
    html = response.content.decode()
    assert "五一广场积水" in html and "收到：五一广场积水" in html
    assert peer.messages[0].content == "五一广场积水"


def test_the_thread_poll_answers_204_when_nothing_changed(client, peer):
    post(client, "text", text="hi")
    first = client.get(f"/sim/phone/{OPENID}/thread/")
    fingerprint = first.content.decode().split("?v=", 1)[1].split('"', 1)[0].split("&", 1)[0]
    assert client.get(f"/sim/phone/{OPENID}/thread/", {"v": fingerprint}).status_code == 204
    post(client, "text", text="again")
    assert client.get(f"/sim/phone/{OPENID}/thread/", {"v": fingerprint}).status_code == 200


def test_a_location_from_the_list_or_typed_coordinates_is_sent(client, peer):
    post(client, "location", place="1")
    post(client, "location", place="custom", lat="26.08", lng="119.30", label="我家门口")
    locations = [m for m in peer.messages if m.type == "location"]
    assert locations[0].label == "福建省福州市闽侯县甘蔗街道"
    assert locations[1].label == "我家门口"
    response = post(client, "location", place="custom", lat="x", lng="119")
    assert "请输入纬度和经度" in response.content.decode()


def test_the_report_menu_buttons_send_their_events_first(client, peer):
    post(client, "location", place="3", menu_key="SIM_REPORT_LOCATION")
    photo = SimpleUploadedFile("flood.jpg", sample_photo(), content_type="image/jpeg")
    post(client, "photo", photo=photo, menu_key="SIM_REPORT_PHOTO", menu_event="pic_photo_or_album")
    kinds = [(m.type, getattr(m, "event", None)) for m in peer.messages]
    assert kinds == [
        ("event", "location_select"),
        ("location", None),
        ("event", "pic_photo_or_album"),
        ("image", None),
    ]
    assert peer.messages[0].key == "SIM_REPORT_LOCATION"
    assert peer.messages[2].key == "SIM_REPORT_PHOTO"


def test_a_photo_without_a_file_sends_the_sample_and_shows_it(client, peer):
    html = post(client, "photo").content.decode()
    image = next(m for m in peer.messages if m.type == "image")
    assert image.image in html
    assert client.get(image.image.split("127.0.0.1:9", 1)[1]).status_code == 200


def test_a_menu_click_reaches_the_callback_as_a_click_event(client, peer):
    post(client, "menu", path="0.0")
    assert peer.messages[0].event == "click" and peer.messages[0].key == "FLOOD_TODAY"


def test_a_voice_message_arrives_with_recognition(client, peer):
    post(client, "voice", text="我家进水了")
    assert peer.messages[0].type == "voice" and peer.messages[0].recognition == "我家进水了"


def test_an_unreachable_callback_shows_the_wechat_error_on_the_phone(client, account):
    html = post(client, "text", text="有人吗").content.decode()
    assert "该公众号暂时无法提供服务" in html


def test_unfollowing_removes_the_input_and_following_again_restores_it(client, peer):
    post(client, "unfollow")
    html = client.get(f"/sim/phone/{OPENID}/").content.decode()
    assert 'data-testid="text-input"' not in html
    post(client, "follow")
    assert SimFollower.objects.get(openid=OPENID).subscribed
    assert [m.event for m in peer.messages] == ["unsubscribe", "subscribe"]


def test_pushed_articles_open_the_article_page_where_citizens_comment(client, api, draft, peer):
    result = api.post(
        "cgi-bin/message/mass/sendall",
        {"filter": {"is_to_all": True}, "msgtype": "mpnews", "mpnews": {"media_id": draft()}},
    )
    push = SimPhoneItem.objects.filter(openid=OPENID, source=ItemSource.MASS).get()
    url = push.payload["articles"][0]["url"]
    path = url.split("127.0.0.1:9", 1)[1]
    html = client.get(f"/sim/phone/{OPENID}/").content.decode()
    assert "福建防汛：今日雨情通报" in html
    page = client.get(path, {"openid": OPENID})
    assert "今日全省普降中到大雨" in page.content.decode()
    client.post(f"{path}?openid={OPENID}", {"content": "感谢及时发布！"})
    listed = api.post(
        "cgi-bin/comment/list",
        {"msg_data_id": result["msg_data_id"], "index": 0, "begin": 0, "count": 10, "type": 0},
    )
    assert listed["comment"][0]["content"] == "感谢及时发布！"
