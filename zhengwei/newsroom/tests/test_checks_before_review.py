import pytest

from zhengwei.newsroom import checks
from zhengwei.newsroom.models import Term
from zhengwei.newsroom.services import article_save
from zhengwei.newsroom.tests.helpers import draft

pytestmark = pytest.mark.django_db


def kinds(article):
    return {(f.kind, f.text) for f in article.findings.filter(revision=article.revision)}


def test_banned_and_sensitive_words_and_typos_are_found_at_their_positions(world):
    Term.objects.create(account=world.account, kind="banned", term="绝对安全")
    Term.objects.create(account=world.account, kind="sensitive", term="伤亡")
    article = draft(world, body="<p>水库绝对安全，无人员伤亡。请按装防护网，防患于未燃。</p>")
    found = kinds(article)
    assert ("banned", "绝对安全") in found and ("sensitive", "伤亡") in found
    assert ("typo", "按装") in found and ("typo", "防患于未燃") in found
    banned = article.findings.get(kind="banned", revision=article.revision)
    doc = checks.document(article.title, article.digest, "水库绝对安全，无人员伤亡。")
    assert doc[banned.start : banned.end] == "绝对安全" and banned.serious


def test_a_wrong_title_or_order_of_officials_is_serious(world):
    Term.objects.create(
        account=world.account, kind="leader", term="王明", replacement="省长", rank=1
    )
    Term.objects.create(
        account=world.account, kind="leader", term="李强", replacement="副省长", rank=2
    )
    article = draft(
        world, body="<p>副省长王明、省长李强到闽清检查。</p><p>省长王明、副省长李强听取汇报。</p>"
    )
    findings = article.findings.filter(revision=article.revision, serious=True)
    titles = {f.text for f in findings if f.kind == "leader_title"}
    assert titles == {"副省长王明", "省长李强"}
    orders = [f for f in findings if f.kind == "leader_order"]
    assert len(orders) == 0  # the wrong titles are the error there; order by name is fine
    article2 = draft(world, title="检查", body="<p>副省长李强、省长王明到闽清检查。</p>")
    assert {
        f.text for f in article2.findings.filter(kind="leader_order", revision=article2.revision)
    } == {"王明"}


def test_personal_data_links_and_wechat_limits_are_found(world):
    article = draft(
        world,
        title="这是一个超过三十二个字的标题这是一个超过三十二个字的标题这是一个超过",
        body="<p>联系13812345678，车牌闽A12345，身份证11010519491231002X。"
        '<a href="https://example.com/x">外链</a></p>',
        with_cover=False,
    )
    found = {(f.kind, f.text) for f in article.findings.filter(revision=article.revision)}
    assert ("personal", "13812345678") in found
    assert ("personal", "闽A12345") in found
    assert ("personal", "11010519491231002X") in found
    assert ("link", "https://example.com/x") in found
    messages = {f.message for f in article.findings.filter(kind="limit", revision=article.revision)}
    assert any("标题超过32字" in m for m in messages) and "须设置封面图片" in messages


def test_an_edited_word_list_is_used_at_the_next_check(world):
    article = draft(world, body="<p>请注意防范。</p>")
    assert not article.findings.filter(kind="banned").exists()
    Term.objects.create(account=world.account, kind="banned", term="注意防范")
    article_save(actor=world["writer"], article=article, body_html="<p>请注意防范！</p>")
    assert article.findings.filter(kind="banned", revision=article.revision).exists()


def test_a_dismissed_candidate_stays_dismissed_in_later_revisions(world):
    from zhengwei.newsroom.services import finding_decide

    article = draft(world, body="<p>按装</p>")
    finding = article.findings.get(kind="typo", revision=article.revision)
    finding_decide(actor=world["editor"], finding=finding, confirmed=False)
    article_save(actor=world["writer"], article=article, body_html="<p>按装好了</p>")
    later = article.findings.get(kind="typo", revision=article.revision)
    assert later.state == "dismissed"
