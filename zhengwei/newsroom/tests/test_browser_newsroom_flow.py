"""In a real browser, the whole newsroom chain: a contractor writer proposes a topic, the editor
accepts it as an assignment, the writer writes it in the vendored editor (with an image and a
cover uploaded through the WeChat layer), the checks show at their positions, 初审 / 复审 / 终审 by
three different people with one return and a re-approval after the edit, a phone preview lands on
the reviewer's own WeChat (the simulator's phone), the operator mass-sends it, WeChat's review
stops the first send (the simulator's switch: MASSSENDJOBFINISH err(10001)), the operator reads
the reason and retries once, and the article reaches a citizen's phone. The screenshots are the
ones docs/guide/newsroom.md shows (GUIDE_SCREENSHOTS=1)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from zhengwei.demo.constants import DEMO_PASSWORD, PREVIEW_PHONES
from zhengwei.testing.browser import screenshot, sign_in, sign_out, simulator_as_wechat

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]
TOPIC = "山洪来临前的三个征兆"
BODY = (
    "<p>山洪来临前常有三个征兆：溪水突然变浑、上游传来轰鸣声、降雨持续不停。</p>"
    "<p>发现征兆要立即向高处转移，收到暴雨预螫后不要在沟谷逗留。</p>"
)
PHONE = {"width": 430, "height": 860}


def jpeg(color=(29, 79, 145), size=(900, 383)) -> dict:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", quality=85)
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.fixture
def newsroom_stage(live_server, settings):
    from zhengwei.demo import orgs
    from zhengwei.newsroom import services
    from zhengwei.orgs.models import User
    from zhengwei.simulator.deliveries import dispatcher
    from zhengwei.simulator.seed import seed as sim_seed
    from zhengwei.wechat.inbound import keys, replies

    settings.PUBLIC_URL = live_server.url
    simulator_as_wechat(
        settings, live_server, mass={"delay_seconds": 1}, deliveries={"poll_seconds": 0.2}
    )
    keys.forget_account()
    replies.forget_rules()
    account = orgs.seed(out=lambda m: None)
    sim_seed(staff=True)
    reviewer = User.objects.get(username="reviewer")
    services.column_save(actor=reviewer, account=account, name="实用", per_week=1, color="#16a085")
    services.terms_add(actor=reviewer, account=account, kind="typo", lines="暴雨预螫 暴雨预警")
    # 陈科长 has bound his own WeChat (「绑定 <code>」 from his phone, as the guide shows).
    code = services.preview_code_issue(actor=reviewer, account=account).code
    services.preview_bind(account=account, openid=PREVIEW_PHONES["reviewer"][0], code=code)
    yield live_server
    dispatcher.stop()


def as_person(page, username: str) -> None:
    sign_out(page)
    sign_in(page, username, DEMO_PASSWORD)


def decide(page, article_url: str, verb: str, comment: str = "") -> None:
    page.goto(article_url)
    if comment:
        page.fill("#id_comment", comment)
    page.get_by_test_id("decide").get_by_test_id(verb).click()
    page.wait_for_load_state()


def test_a_topic_goes_from_proposal_through_three_reviews_to_a_citizens_phone(
    newsroom_stage, page, browser
):
    from zhengwei.newsroom.models import Article, Push

    # 报题: the contractor's writer proposes.
    sign_in(page, "writer", DEMO_PASSWORD)
    page.goto("/newsroom/topics/")
    form = page.get_by_test_id("propose")
    form.locator("[name=title]").fill(TOPIC)
    form.locator("[name=angle]").fill("图解，配县防办专家采访")
    form.locator("[name=column]").select_option(label="实用")
    form.get_by_role("button").click()
    page.get_by_test_id("topics").get_by_text(TOPIC).wait_for()
    screenshot(page, "newsroom-topic")

    # Accepted by the editor: an assignment with its owner.
    as_person(page, "editor")
    page.goto("/newsroom/topics/")
    page.get_by_test_id("accept").click()
    assert "→ 赵记者" in page.get_by_test_id("topics").inner_text()

    # 撰稿 in the editor, with an image and a cover through the WeChat layer.
    as_person(page, "writer")
    page.goto("/newsroom/")
    page.get_by_role("link", name="撰写").click()
    page.get_by_test_id("new-article-form").get_by_role("button").click()
    page.wait_for_selector(".zw-editor.zw-ready")
    page.evaluate("html => window.zwEditor.setHtml(html)", BODY)
    page.locator("[data-editor-text] [contenteditable]").click()
    page.keyboard.press("End")
    page.locator('[data-menu-key="group-image"]').hover()
    page.locator('[data-menu-key="uploadImage"]').wait_for()
    page.wait_for_timeout(400)  # the drop-down takes clicks once it has finished opening
    page.locator('[data-menu-key="uploadImage"]').click()
    # wangEditor opens the file dialog through an <input type=file> it adds to the page.
    page.locator("body > input[type=file]").last.set_input_files(jpeg((200, 120, 40), (640, 360)))
    page.locator("[data-editor-text] img").wait_for()
    with page.expect_response("**/newsroom/images/**"):
        page.locator("[data-cover-upload]").set_input_files(jpeg())
    page.locator("[data-testid=covers] input[type=radio]:checked").wait_for(state="attached")
    screenshot(page, "newsroom-editor")
    page.get_by_test_id("save-submit").click()
    page.wait_for_load_state()
    article = Article.objects.get(title=TOPIC)
    article_url = f"/newsroom/articles/{article.pk}/"
    assert "/sim/" in article.revision.body_html  # the image's WeChat (simulator) address

    # The checks before review, at their positions: the typo candidate is marked.
    page.goto(article_url)
    checks = page.get_by_test_id("checks")
    assert "暴雨预螫" in checks.inner_text()
    checks.scroll_into_view_if_needed()
    screenshot(page, "newsroom-checks")

    # 初审 by the editor.
    as_person(page, "editor")
    decide(page, article_url, "approve", "文字已核")

    # 复审: 陈科长 previews it on his own WeChat, then returns it with a reason.
    as_person(page, "reviewer")
    page.goto(article_url)
    page.get_by_test_id("send-preview").click()
    page.wait_for_load_state()
    phone = browser.new_context(base_url=newsroom_stage.url, viewport=PHONE, locale="zh-CN")
    tab = phone.new_page()
    tab.goto(f"/sim/phone/{PREVIEW_PHONES['reviewer'][0]}/")
    tab.get_by_test_id("thread").get_by_text(TOPIC).first.wait_for()
    screenshot(tab, "newsroom-preview-phone")
    decide(page, article_url, "return", "“暴雨预螫”是错别字，请改为“暴雨预警”")
    page.goto(article_url)
    screenshot(page, "newsroom-returned")

    # The writer corrects it; the chain starts again from 初审.
    as_person(page, "writer")
    page.goto(article_url)
    page.wait_for_selector(".zw-editor.zw-ready")
    page.evaluate(
        "() => window.zwEditor.setHtml(window.zwEditor.getHtml().replace('暴雨预螫', '暴雨预警'))"
    )
    page.get_by_test_id("save-submit").click()
    page.wait_for_load_state()
    as_person(page, "editor")
    decide(page, article_url, "approve")
    as_person(page, "reviewer")
    decide(page, article_url, "approve", "事实已核")
    as_person(page, "leader")
    decide(page, article_url, "approve", "同意发布")
    page.goto(article_url)
    assert page.get_by_test_id("article-state").inner_text() == "已通过"
    page.get_by_test_id("review").scroll_into_view_if_needed()
    screenshot(page, "newsroom-chain")

    # The operator mass-sends it; WeChat's review stops the first send (simulator switch).
    as_person(page, "operator")
    page.goto("/sim/")
    page.locator("#sim-mass-fail").select_option("err(10001)")
    page.get_by_test_id("sim-mass-failure-save").click()
    page.get_by_test_id("sim-mass-fail-armed").wait_for()
    page.goto("/newsroom/calendar/")
    plan = page.get_by_test_id("plan-push")
    plan.locator("[name=title]").fill("今日推送：山洪征兆")
    plan.get_by_role("button").click()
    page.wait_for_url("**/newsroom/pushes/*/")
    page.get_by_test_id("choose-articles").select_option(label=f"{TOPIC} · 已通过")
    page.get_by_role("button", name="设置稿件").click()
    page.get_by_test_id("publishing").locator("select[name=mode]").select_option("mass_send")
    page.get_by_test_id("publish-now").click()
    push = Push.objects.get(title="今日推送：山洪征兆")
    push_url = f"/newsroom/pushes/{push.pk}/"
    for _attempt in range(40):  # MASSSENDJOBFINISH arrives a second later
        page.goto(push_url)
        if page.get_by_test_id("push-state").inner_text() == "失败":
            break
        page.wait_for_timeout(500)
    error = page.get_by_test_id("push-error").inner_text()
    assert "涉嫌广告" in error and "10001" in error
    screenshot(page, "newsroom-push-failed")

    # The retry is a new send (a fresh key): it goes out, once.
    page.get_by_test_id("retry").click()
    page.goto(push_url)
    assert not page.get_by_test_id("retry").count()
    assert page.get_by_test_id("push-state").inner_text() == "已发布"
    screenshot(page, "newsroom-push-published")

    # A citizen's phone shows the article; reading it opens the published page.
    citizen = browser.new_context(base_url=newsroom_stage.url, viewport=PHONE, locale="zh-CN")
    reader = citizen.new_page()
    reader.goto("/sim/phone/oFjFx0LinNvShi0000MinHou0001/")
    headline = reader.get_by_test_id("thread").get_by_text(TOPIC).first
    headline.wait_for(timeout=20_000)
    screenshot(reader, "newsroom-citizen-phone")
    with citizen.expect_page() as opened:
        reader.locator("a.news-first").filter(has_text=TOPIC).first.click()
    article_page = opened.value
    article_page.get_by_text("溪水突然变浑").first.wait_for()
    assert "暴雨预警" in article_page.content() and "暴雨预螫" not in article_page.content()
    screenshot(article_page, "newsroom-article")
    from zhengwei.simulator.models import ItemSource, SimPhoneItem

    pushes = SimPhoneItem.objects.filter(source=ItemSource.MASS)
    assert pushes.count() == len({p.openid for p in pushes})  # one push per phone, not two
    phone.close()
    citizen.close()
