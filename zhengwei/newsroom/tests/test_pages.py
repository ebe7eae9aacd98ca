import pytest
from django.urls import reverse

from zhengwei.newsroom import services
from zhengwei.newsroom.models import ArticleState, Term, Topic
from zhengwei.newsroom.tests.helpers import draft, pending

pytestmark = pytest.mark.django_db


def test_the_writer_creates_edits_and_submits_an_article_through_the_pages(world, client_for):
    client = client_for(world["writer"])
    response = client.post(
        reverse("newsroom:article_new"), {"title": "台风“纳沙”逼近", "author": "记者甲"}
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="editor-form"' in page.text
    assert "vendor/wangeditor/index.js" in page.text
    client.post(
        url,
        {
            "title": "台风“纳沙”逼近",
            "author": "记者甲",
            "digest": "防御指南",
            "body_html": "<p>请按装<script>x</script>防护</p>",
            "is_original": "on",
            "then": "submit",
        },
    )
    article = world.account.articles.get()
    assert article.state == ArticleState.IN_REVIEW
    assert article.body_html == "<p>请按装防护</p>"
    page = client.get(url)
    assert 'data-testid="locked"' in page.text and 'data-testid="editor-form"' not in page.text


def test_a_reviewer_sees_findings_in_place_and_decides_the_step(world, client_for):
    article = draft(world, body="<p>请按装防护网。</p>")
    services.article_submit(actor=world["writer"], article=article)
    client = client_for(world["editor"])
    home = client.get(reverse("newsroom:home"))
    assert article.title in home.text and 'data-testid="waiting"' in home.text
    page = client.get(reverse("newsroom:article", args=[article.pk]))
    assert 'class="zw-warn"' in page.text and ">按装</mark>" in page.text
    assert 'data-testid="approve"' in page.text
    step = pending(article)
    response = client.post(
        reverse("newsroom:article_act", args=[article.pk, "return"]),
        {"step": step.pk, "comment": ""},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.state == "pending"  # no reason, nothing returned
    client.post(
        reverse("newsroom:article_act", args=[article.pk, "approve"]),
        {"step": step.pk, "comment": "好"},
    )
    step.refresh_from_db()
    assert step.state == "approved" and step.actor == world["editor"]


def test_the_writer_cannot_decide_a_step_through_the_page(world, client_for):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    client = client_for(world["writer"])
    page = client.get(reverse("newsroom:article", args=[article.pk]))
    assert 'data-testid="review"' in page.text and 'data-testid="approve"' not in page.text
    response = client.post(
        reverse("newsroom:article_act", args=[article.pk, "approve"]), {"step": pending(article).pk}
    )
    assert response.status_code == 403


def test_two_revisions_are_compared_character_by_character(world, client_for):
    article = draft(world, body="<p>今天启动防汛Ⅳ级应急响应。</p>")
    services.article_save(
        actor=world["writer"], article=article, body_html="<p>今天启动防汛Ⅲ级应急响应。</p>"
    )
    last = article.revisions.order_by("-number").first().number
    page = client_for(world["office_reviewer"]).get(
        reverse("newsroom:diff", args=[article.pk]) + f"?a={last - 1}&b={last}"
    )
    assert page.status_code == 200
    assert '<del class="zw-del">Ⅳ</del><ins class="zw-ins">Ⅲ</ins>' in page.text


def test_topics_are_proposed_accepted_and_their_due_time_changed_on_the_page(world, client_for):
    writer = client_for(world["writer"])
    writer.post(
        reverse("newsroom:topics"),
        {"title": "转移安置一线", "angle": "记者视角", "due_at": "2017-07-30T18:00"},
    )
    topic = Topic.objects.get(title="转移安置一线")
    assert topic.due_at is not None
    writer.post(
        reverse("newsroom:topic_act", args=[topic.pk, "update"]),
        {"planned_for": "2017-07-30", "due_at": "2017-07-30T20:00"},
    )
    topic.refresh_from_db()
    assert topic.due_at.hour == 12  # 20:00 Beijing time
    editor = client_for(world["editor"])
    page = editor.get(reverse("newsroom:topics"))
    assert 'data-testid="accept"' in page.text
    editor.post(
        reverse("newsroom:topic_act", args=[topic.pk, "accept"]), {"owner": world["writer"].pk}
    )
    topic.refresh_from_db()
    assert topic.state == "accepted" and topic.assignment.owner == world["writer"]


def test_word_lists_are_edited_on_their_page(world, client_for):
    client = client_for(world["office_reviewer"])
    client.post(
        reverse("newsroom:words"), {"kind": "leader", "lines": "王明 省长 1\n李强 副省长 2"}
    )
    assert set(Term.objects.values_list("term", "replacement", "rank")) == {
        ("王明", "省长", 1),
        ("李强", "副省长", 2),
    }
    page = client.get(reverse("newsroom:words") + "?kind=leader")
    assert "王明" in page.text and 'data-testid="terms"' in page.text
    term = Term.objects.get(term="王明")
    client.post(reverse("newsroom:word_delete", args=[term.pk]))
    assert not Term.objects.filter(term="王明").exists()
    assert client_for(world["writer"]).get(reverse("newsroom:words")).status_code == 403
