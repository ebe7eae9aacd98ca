import pytest
from django.core.exceptions import PermissionDenied

from zhengwei.audit.models import AuditEntry
from zhengwei.newsroom.models import ArticleState, Finding
from zhengwei.newsroom.services import article_offer, article_submit

pytestmark = pytest.mark.django_db


def test_another_app_offers_a_draft_that_arrives_cleaned_and_checked(world):
    article = article_offer(
        account=world.account,
        title="7月30日水情日报",
        body_html='<p onclick="x()">闽江水位上涨<script>alert(1)</script></p>',
        digest="闽江干流水位",
        source="hydro.briefing",
    )
    assert article.state == ArticleState.DRAFT
    assert article.source == "hydro.briefing"
    assert article.body_html == "<p>闽江水位上涨</p>"
    assert article.revisions.count() == 1 and article.revision.created_by is None
    entry = AuditEntry.objects.get(action="newsroom.article.offer")
    assert entry.actor is None and entry.actor_name == "hydro.briefing"
    # No cover yet: a serious WeChat-limit finding the editors see.
    assert Finding.objects.filter(article=article, kind="limit", serious=True).exists()


def test_an_offered_draft_still_goes_through_the_whole_chain(world):
    article = article_offer(
        account=world.account, title="日报", body_html="<p>x</p>", digest="", source="hydro"
    )
    step = article_submit(actor=world["editor"], article=article)
    assert step.name == "初审"


def test_an_actor_without_the_writing_role_cannot_offer(world):
    with pytest.raises(PermissionDenied):
        article_offer(
            account=world.account,
            title="t",
            body_html="",
            digest="",
            source="hydro",
            actor=world["duty_officer"],
        )
