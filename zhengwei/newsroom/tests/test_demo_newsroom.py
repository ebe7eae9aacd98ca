"""The demo (./run) shows the newsroom at work: the reviewers' own WeChat is bound, so 预览 works
at once, and the articles in review carry comments on their passages. One test: seeding the
demo's five weeks takes a while."""

import pytest

from zhengwei.demo import newsroom, orgs
from zhengwei.demo.constants import PREVIEW_PHONES
from zhengwei.newsroom.checks import document
from zhengwei.newsroom.models import Article, Comment, PreviewBinding
from zhengwei.newsroom.sanitize import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    orgs.seed(out=lambda m: None)
    newsroom.seed(out=lambda m: None)


def test_reviewers_have_their_wechat_bound_and_articles_in_review_have_passage_comments(demo):
    bound = dict(PreviewBinding.objects.exclude(openid="").values_list("user__username", "openid"))
    for username in ("reviewer", "leader", "editor"):
        assert bound[username] == PREVIEW_PHONES[username][0]
    waiting = Article.objects.get(title="本周降雨趋势及防御提示")
    returned = Article.objects.get(title="暴雨天出行提示")
    authors = set(waiting.comments.values_list("author__username", flat=True))
    assert {"editor", "reviewer"} <= authors
    assert returned.comments.filter(quote="暴雨预螫", author__username="editor").exists()
    for comment in Comment.objects.filter(article__in=[waiting, returned]):
        revision = comment.revision
        text = document(revision.title, revision.digest, text_of(revision.body_html))
        assert comment.quote and text[comment.offset :].startswith(comment.quote)
