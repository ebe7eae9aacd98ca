"""Draft → freepublish: submit answers at once with publish_id and msg_data_id; the job completes
asynchronously and the simulator's own delivery thread pushes PUBLISHJOBFINISH (from
``mphelper``) to the callback, signed and encrypted."""

import threading

import pytest

from zhengwei.lib.wxcrypto import WXCrypto, check_signature
from zhengwei.lib.wxxml import parse_message
from zhengwei.simulator.models import SimArticle
from zhengwei.simulator.tests.conftest import image_bytes
from zhengwei.simulator.tests.helpers import Receiver


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_published_draft_finishes_with_publishjobfinish_at_the_callback(
    api, draft, account, settings
):
    settings.SIMULATOR_LIMITS = {
        "publish": {"delay_seconds": 1.5},  # long enough to see "publishing" on a busy machine
        "deliveries": {"poll_seconds": 0.1},
    }
    crypto = WXCrypto(account.token, account.aes_key, account.app_id)
    events, arrived = [], threading.Event()

    def callback(params, body):
        # What the platform's callback must check: signature, then msg_signature, then decrypt.
        assert check_signature(
            account.token, params["signature"], params["timestamp"], params["nonce"]
        )
        assert params["encrypt_type"] == "aes"
        xml = crypto.decrypt_message(
            body, params["msg_signature"], params["timestamp"], params["nonce"]
        )
        events.append(parse_message(xml))
        arrived.set()
        return 200, b"success"

    server = Receiver(callback)
    try:
        account.callback_url = f"{server.url}/wechat/callback/{account.original_id}/"
        account.save()
        media_id = draft("福建防汛：今日雨情通报")
        submitted = api.post("cgi-bin/freepublish/submit", {"media_id": media_id})
        assert submitted["errcode"] == 0
        publish_id = submitted["publish_id"]
        assert submitted["msg_data_id"]
        # Submitted, not yet published.
        assert (
            api.post("cgi-bin/freepublish/get", {"publish_id": publish_id})["publish_status"] == 1
        )
        assert arrived.wait(10), "PUBLISHJOBFINISH never reached the callback"
    finally:
        server.close()

    event = events[0]
    assert event.event == "publishjobfinish"
    assert event.from_user == "mphelper"
    info = event.fields["PublishEventInfo"]
    assert info["publish_id"] == str(publish_id)
    assert info["publish_status"] == "0"
    assert info["article_detail"]["count"] == "1"
    url = info["article_detail"]["item"][0]["article_url"]

    done = api.post("cgi-bin/freepublish/get", {"publish_id": publish_id})
    assert done["publish_status"] == 0
    assert done["article_id"] == info["article_id"]
    assert done["article_detail"]["item"][0]["article_url"] == url
    article = api.post("cgi-bin/freepublish/getarticle", {"article_id": info["article_id"]})
    assert article["news_item"][0]["title"] == "福建防汛：今日雨情通报"
    # A published draft leaves the draft box; publishing pushes nothing to phones.
    assert api.get("cgi-bin/draft/count")["total_count"] == 0
    assert SimArticle.objects.get(article_id=info["article_id"]).source == "publish"


@pytest.mark.django_db(databases="__all__")
def test_a_draft_title_over_32_characters_answers_45003(api, thumb):
    article = {"title": "标" * 33, "content": "<p>正文</p>", "thumb_media_id": thumb}
    assert api.post("cgi-bin/draft/add", {"articles": [article]})["errcode"] == 45003
    article["title"] = "标" * 32
    assert "media_id" in api.post("cgi-bin/draft/add", {"articles": [article]})


@pytest.mark.django_db(databases="__all__")
def test_a_draft_cover_must_be_permanent_material(api):
    temporary = api.upload("cgi-bin/media/upload", image_bytes(), type="image")["media_id"]
    article = {"title": "雨情", "content": "<p>正文</p>", "thumb_media_id": temporary}
    assert api.post("cgi-bin/draft/add", {"articles": [article]})["errcode"] == 40007


@pytest.mark.django_db(databases="__all__")
def test_draft_limits_on_author_digest_and_content(api, thumb):
    base = {"title": "雨情", "content": "<p>正文</p>", "thumb_media_id": thumb}
    add = lambda **a: api.post("cgi-bin/draft/add", {"articles": [{**base, **a}]})  # noqa: E731
    assert add(author="作" * 17)["errcode"] == 45110
    assert add(digest="摘" * 129)["errcode"] == 45004
    assert add(content="字" * 20000)["errcode"] == 45002
    assert add(content_source_url="https://x.gov.cn/" + "a" * 1010)["errcode"] == 45005
    assert "media_id" in add(content="字" * 19999)


@pytest.mark.django_db(databases="__all__")
def test_a_draft_keeps_only_uploadimg_images_and_no_scripts(api, thumb):
    own = api.upload("cgi-bin/media/uploadimg", image_bytes("PNG"), "a.png")["url"]
    content = (
        f'<p>雨情</p><img src="{own}"><img src="https://elsewhere.example/x.jpg">'
        '<script>alert(1)</script><a href="#" onclick="steal()">看</a>'
    )
    media_id = api.post(
        "cgi-bin/draft/add",
        {"articles": [{"title": "雨情", "content": content, "thumb_media_id": thumb}]},
    )["media_id"]
    stored = api.post("cgi-bin/draft/get", {"media_id": media_id})["news_item"][0]
    assert own in stored["content"]
    assert "elsewhere.example" not in stored["content"]
    assert "<script" not in stored["content"] and "onclick" not in stored["content"]
    assert stored["digest"].startswith("雨情")


@pytest.mark.django_db(databases="__all__")
def test_draft_update_batchget_and_delete(api, draft, thumb):
    media_id = draft()
    changed = {"title": "更新后的标题", "content": "<p>新正文</p>", "thumb_media_id": thumb}
    body = {"media_id": media_id, "index": 0, "articles": changed}
    assert api.post("cgi-bin/draft/update", body)["errcode"] == 0
    page = api.post("cgi-bin/draft/batchget", {"offset": 0, "count": 20, "no_content": 1})
    assert page["total_count"] == 1
    item = page["item"][0]["content"]["news_item"][0]
    assert item["title"] == "更新后的标题" and "content" not in item
    assert api.post("cgi-bin/draft/batchget", {"offset": 0, "count": 21})["errcode"] == 40035
    assert api.post("cgi-bin/draft/delete", {"media_id": media_id})["errcode"] == 0
    assert api.get("cgi-bin/draft/count")["total_count"] == 0


@pytest.mark.django_db(databases="__all__")
def test_a_publish_can_fail_review_on_request(api, draft):
    submitted = api.post("cgi-bin/freepublish/submit", {"media_id": draft("[[sim:fail]]雨情")})
    result = api.post("cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})
    assert result["publish_status"] == 3
    assert result["fail_idx"] == [1]


@pytest.mark.django_db(databases="__all__")
def test_a_deleted_article_is_gone_from_batchget(api, draft):
    submitted = api.post("cgi-bin/freepublish/submit", {"media_id": draft()})
    article_id = api.post("cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})[
        "article_id"
    ]
    assert api.post("cgi-bin/freepublish/batchget", {"offset": 0, "count": 10})["total_count"] == 1
    assert api.post("cgi-bin/freepublish/delete", {"article_id": article_id})["errcode"] == 0
    assert api.post("cgi-bin/freepublish/batchget", {"offset": 0, "count": 10})["total_count"] == 0
    assert (
        api.post("cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})[
            "publish_status"
        ]
        == 5
    )
