import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwei.audit.models import AuditEntry
from zhengwei.newsroom import services
from zhengwei.newsroom.models import ArticleState, ChainStep, ReviewStep, StepState, Term
from zhengwei.newsroom.tests.helpers import approve_all, draft, pending
from zhengwei.newsroom.workflow import IllegalTransition

pytestmark = pytest.mark.django_db


def test_three_different_people_approve_three_levels_each_its_own_row(world):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    article = approve_all(world, article)
    assert article.state == ArticleState.APPROVED
    assert article.approved_revision_id == article.revision_id
    steps = list(ReviewStep.objects.filter(article=article).order_by("order"))
    assert [(s.name, s.state, s.actor.username) for s in steps] == [
        ("初审", "approved", "editor"),
        ("复审", "approved", "office_reviewer"),
        ("终审", "approved", "office_leader"),
    ]
    assert all(s.revision_id == article.revision_id for s in steps)
    assert AuditEntry.objects.filter(action="newsroom.review.approve").count() == 3


def test_a_return_needs_a_reason_and_goes_back_to_the_writer(world):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    services.review_approve(actor=world["editor"], step=pending(article))
    with pytest.raises(ValidationError):
        services.review_return(actor=world["office_reviewer"], step=pending(article), reason=" ")
    services.review_return(
        actor=world["office_reviewer"], step=pending(article), reason="数据需核实"
    )
    article.refresh_from_db()
    assert article.state == ArticleState.RETURNED
    returned = ReviewStep.objects.get(article=article, state=StepState.RETURNED)
    assert returned.comment == "数据需核实" and returned.name == "复审"
    # The writer edits and resubmits: a new round starts at 初审 on the new revision.
    services.article_save(actor=world["writer"], article=article, body_html="<p>已核实的数据</p>")
    services.article_submit(actor=world["writer"], article=article)
    step = pending(article)
    assert (step.round, step.name) == (2, "初审")
    article.refresh_from_db()
    assert step.revision_id == article.revision_id


def test_an_article_in_review_is_locked(world):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    with pytest.raises(ValidationError):
        services.article_save(actor=world["writer"], article=article, title="改标题")


def test_an_edit_after_approval_requires_re_approval(world):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    article = approve_all(world, article)
    services.article_save(actor=world["writer"], article=article, digest="新摘要")
    article.refresh_from_db()
    assert article.state == ArticleState.DRAFT
    assert article.approved_revision_id != article.revision_id
    services.article_submit(actor=world["writer"], article=article)
    article = approve_all(world, article)
    assert article.state == ArticleState.APPROVED
    assert article.approved_revision_id == article.revision_id


def test_illegal_moves_raise(world):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    with pytest.raises(IllegalTransition):
        services.article_submit(actor=world["writer"], article=article)
    approve_all(world, article)
    with pytest.raises(ValidationError):
        services.review_approve(actor=world["office_leader"], step=article.steps.last())


def test_the_level_s_role_decides_who_may_approve(world):
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    for role in ("writer", "office_leader", "office_reviewer", "operator", "outsider"):
        user = world.outsider if role == "outsider" else world[role]
        with pytest.raises(PermissionDenied):
            services.review_approve(actor=user, step=pending(article))
    services.review_approve(actor=world["editor"], step=pending(article))


def test_one_person_cannot_approve_two_levels(world):
    from zhengwei.testing.factories import grant

    grant(world["office_leader"], world.account, "office_reviewer")
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    services.review_approve(actor=world["editor"], step=pending(article))
    services.review_approve(actor=world["office_leader"], step=pending(article))
    with pytest.raises(ValidationError):
        services.review_approve(actor=world["office_leader"], step=pending(article))


def test_no_one_reviews_their_own_revision(world):
    article = services.article_create(
        actor=world["editor"], account=world.account, title="编辑自写", body_html="<p>x</p>"
    )
    services.article_submit(actor=world["editor"], article=article)
    with pytest.raises(PermissionDenied):
        services.review_approve(actor=world["editor"], step=pending(article))


def test_the_final_level_cannot_approve_over_a_serious_finding(world):
    Term.objects.create(account=world.account, kind="banned", term="绝对安全")
    article = draft(world, body="<p>水库绝对安全，请放心。</p>")
    services.article_submit(actor=world["writer"], article=article)
    services.review_approve(actor=world["editor"], step=pending(article))
    services.review_approve(actor=world["office_reviewer"], step=pending(article))
    with pytest.raises(ValidationError, match="Serious|严重"):
        services.review_approve(actor=world["office_leader"], step=pending(article))
    finding = article.findings.get(revision=article.revision, kind="banned")
    services.finding_decide(actor=world["office_leader"], finding=finding, confirmed=False)
    services.review_approve(actor=world["office_leader"], step=pending(article))
    article.refresh_from_db()
    assert article.state == ArticleState.APPROVED


def test_a_configured_chain_replaces_the_default(world):
    ChainStep.objects.create(
        account=world.account, mode="normal", order=1, name="审核", role="office_reviewer"
    )
    ChainStep.objects.create(
        account=world.account, mode="normal", order=2, name="签发", role="office_leader"
    )
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    assert pending(article).name == "审核"
    services.review_approve(actor=world["office_reviewer"], step=pending(article))
    services.review_approve(actor=world["office_leader"], step=pending(article))
    article.refresh_from_db()
    assert article.state == ArticleState.APPROVED
