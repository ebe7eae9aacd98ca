"""Images in a draft another app offers (hydro's briefing charts) are kept, uploaded to WeChat
(media/uploadimg) and replaced by their WeChat URLs before review, as an editor's uploads are;
until then, and for any image not on WeChat, a serious finding holds the article back."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from zhengwei.newsroom import listeners, services
from zhengwei.newsroom.models import Article, Finding, NewsImage

pytestmark = pytest.mark.django_db
UPLOADIMG = "/cgi-bin/media/uploadimg"
CHART = "http://localhost:8000/hydro/briefings/7/chart/rain_map.png"
QR = "http://localhost:8000/hydro/briefings/7/chart/qr.png"


def png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def offer(world):
    return services.article_offer(
        account=world.account,
        title="7月30日汛情简报",
        body_html=f'<p>雨情</p><p><img src="{CHART}" alt="雨量图"></p><p><img src="{QR}"></p>',
        digest="雨情",
        source="hydro",
        actor=world["writer"],
        images={CHART: png((10, 90, 200)), QR: png((0, 0, 0))},
    )


def image_findings(article):
    return Finding.objects.filter(
        article=article, revision=article.revision, kind="limit", message__startswith="图片尚未上传"
    )


def test_offered_images_are_kept_and_hold_the_article_back_until_they_are_on_wechat(world):
    article = offer(world)
    assert set(article.pending_images) == {CHART, QR}
    assert NewsImage.objects.filter(account=world.account, wechat_url="").count() == 2
    findings = image_findings(article)
    assert {f.text for f in findings} == {CHART, QR} and all(f.serious for f in findings)


def test_they_are_uploaded_and_replaced_by_their_wechat_urls(world, wechat):
    wechat.route(
        UPLOADIMG,
        [
            {"url": "http://mmbiz.qpic.cn/mmbiz_png/chart/0"},
            {"url": "http://mmbiz.qpic.cn/mmbiz_png/qr/0"},
        ],
    )
    article = offer(world)
    assert services.article_images_upload(article=article) == 2
    article.refresh_from_db()
    assert "http://mmbiz.qpic.cn/mmbiz_png/chart/0" in article.body_html
    assert "http://mmbiz.qpic.cn/mmbiz_png/qr/0" in article.body_html
    assert CHART not in article.body_html and article.pending_images == {}
    assert article.revisions.count() == 2 and article.revision.created_by is None
    assert not image_findings(article).exists()
    assert wechat.count(UPLOADIMG) == 2
    # Nothing left to do: no second upload.
    assert services.article_images_upload(article=article) == 0
    assert wechat.count(UPLOADIMG) == 2


def test_the_offer_starts_the_upload_and_the_tick_retries_when_wechat_was_down(world, wechat):
    wechat.route(UPLOADIMG, {"errcode": 45009, "errmsg": "reach max api daily quota limit"})
    article = offer(world)
    listeners.on_article_offered(event="article.offered", article_id=article.pk, images=2)
    assert wechat.count(UPLOADIMG) >= 1  # the task ran (immediate backend in tests)
    article.refresh_from_db()
    assert set(article.pending_images) == {CHART, QR}
    wechat.route(UPLOADIMG, {"url": "http://mmbiz.qpic.cn/mmbiz_png/x/0"})
    call_command("newsroom_tick")
    article.refresh_from_db()
    assert article.pending_images == {} and "mmbiz.qpic.cn" in article.body_html


def test_an_image_pasted_from_the_web_is_a_serious_finding(world):
    article = services.article_create(
        actor=world["writer"],
        account=world.account,
        title="转载",
        body_html='<p><img src="https://example.com/flood.jpg"></p>',
    )
    article = Article.objects.get(pk=article.pk)
    assert [f.text for f in image_findings(article)] == ["https://example.com/flood.jpg"]


def test_the_hydro_briefing_offers_its_charts(world):
    from zhengwei.hydro.models import Briefing, BriefingChart
    from zhengwei.hydro.services.briefings import briefing_offer, render_body

    briefing = Briefing.objects.create(
        account=world.account,
        title="汛情简报",
        window_start="2017-07-29T22:00:00Z",
        window_end="2017-07-30T22:00:00Z",
        numbers={"figures": {}, "typhoons": []},
        body_html="",
        created_at=timezone.now(),
    )
    BriefingChart.objects.create(briefing=briefing, kind="rain_map", title="雨量", png=png("red"))
    briefing.body_html = render_body(briefing, links=False)
    briefing.save()
    briefing = briefing_offer(actor=world["writer"], briefing=briefing)
    article = Article.objects.get(pk=briefing.article_id)
    [src] = article.pending_images
    assert src in article.body_html and "rain_map" in src
    assert NewsImage.objects.get(pk=article.pending_images[src]).content_type == "image/png"
