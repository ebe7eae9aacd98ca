import pytest
from django.core.exceptions import ValidationError

from zhengwei.wechat.outbound import tokens

pytestmark = pytest.mark.django_db

ARTICLE = {
    "article_type": "news",
    "title": "台风“海棠”防御工作部署",
    "author": "省防汛办",
    "digest": "全省防汛四级应急响应",
    "content": "<p>各地要切实做好防御工作。</p>",
    "content_source_url": "https://slt.fujian.gov.cn/",
    "thumb_media_id": "THUMB_MEDIA_ID",
    "need_open_comment": 1,
    "only_fans_can_comment": 0,
    "pic_crop_235_1": "0.1945_0_1_0.5236",
    "pic_crop_1_1": "0.166454_0_0.833545_1",
}


@pytest.fixture
def ready(account, fake):
    tokens.get_token(account)
    fake.route("/cgi-bin/draft/add", {"media_id": "DRAFT_1"})


def test_every_field_reaches_wechat_unchanged(wx, fake, ready):
    newspic = {
        "article_type": "newspic",
        "title": "雷达回波图",
        "content": "今日雷达图",
        "image_info": {"image_list": [{"image_media_id": "IMG1"}]},
    }
    assert wx.draft_add([ARTICLE, newspic]) == "DRAFT_1"
    [request] = fake.requests_to("/cgi-bin/draft/add")
    assert request.json["articles"] == [ARTICLE, newspic]


def test_update_sends_one_article_under_the_articles_key(wx, fake, ready):
    wx.draft_update("DRAFT_1", 0, ARTICLE)
    [request] = fake.requests_to("/cgi-bin/draft/update")
    assert request.json == {"media_id": "DRAFT_1", "index": 0, "articles": ARTICLE}


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("title", "题" * 33, "32"),
        ("author", "作" * 17, "16"),
        ("digest", "摘" * 129, "128"),
        ("content", "文" * 20000, "20000"),
        ("thumb_media_id", "", "封面"),
        ("article_type", "video", "video"),
    ],
)
def test_limits_are_checked_before_sending(wx, fake, ready, field, value, words):
    with pytest.raises(ValidationError) as caught:
        wx.draft_add([{**ARTICLE, field: value}])
    assert words in " ".join(caught.value.messages)
    assert fake.count("/cgi-bin/draft/add") == 0


def test_the_limits_are_exactly_at_the_edges(wx, fake, ready):
    edge = {**ARTICLE, "title": "题" * 32, "author": "作" * 16, "content": "文" * 19999}
    wx.draft_add([edge])
    assert fake.count("/cgi-bin/draft/add") == 1


def test_publishing_returns_the_publish_job(wx, fake, ready):
    fake.route(
        "/cgi-bin/freepublish/submit",
        {"errcode": 0, "publish_id": "2247503051", "msg_data_id": 2247503052},
    )
    result = wx.publish_submit("DRAFT_1")
    assert result["publish_id"] == "2247503051"
    assert fake.requests_to("/cgi-bin/freepublish/submit")[0].json == {"media_id": "DRAFT_1"}
