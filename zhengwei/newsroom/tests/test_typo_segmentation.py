"""Candidate typos are checked at word level (jieba): 的/地/得 by the parts of speech around
them, confusable characters that jieba could not join into a word, and listed wrong forms that
only appear across two real words are dropped."""

import pytest

from zhengwei.newsroom import checks
from zhengwei.newsroom.models import Term
from zhengwei.newsroom.tests.helpers import draft


def candidates(text: str, typos: dict | None = None) -> dict[str, str]:
    lists = checks.compile_lists(typos=typos)
    hits = checks.segmented_hits(text, checks.word_hits(text, lists))
    return {h.text: h.suggestion for h in hits if h.kind == "typo"}


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("各地要积极的做好防御工作。", "积极的做好", "积极地做好"),
        ("坚决的执行转移命令。", "坚决的执行", "坚决地执行"),
        ("闽江水位涨的很快。", "涨的很快", "涨得很快"),
        ("这是全体干部坚定地信念。", "坚定地信念", "坚定的信念"),
    ],
)
def test_de_di_de_are_checked_by_the_words_around_them(text, wrong, right):
    assert candidates(text)[wrong] == right


@pytest.mark.parametrize(
    "text",
    [
        "要认真地工作，有的地方已转移群众。",
        "各级政府部门制定明确的购买服务计划。",
        "目的地的确很远，今天天气很好。",
    ],
)
def test_correct_particles_are_left_alone(text):
    assert candidates(text) == {}
    assert candidates(text + "请按装好挡板。") == {"按装": "安装"}  # the check does run


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("因该提前转移。", "因该", "应该"),
        ("既使雨停了也不能返回。", "既使", "即使"),
        ("受灾群众安制到位。", "安制", "安置"),
    ],
)
def test_confusable_characters_become_a_common_word_when_swapped(text, wrong, right):
    assert candidates(text)[wrong] == right


def test_common_words_next_to_a_confusable_character_are_not_typos():
    # 请按 / 不按 would be 请安 / 不安, but 按 alone is far more common than either.
    assert candidates("请按本单位规定执行，缺数据不按零计算。") == {}


def test_a_listed_wrong_form_across_two_real_words_is_dropped():
    assert candidates("全部暑期安排照常。") == {}
    assert candidates("工作部暑到位。")["部暑"] == "部署"


def test_an_accounts_own_typo_list_still_matches_inside_a_word():
    assert candidates("防汛抗早工作", {"抗早": "抗旱"})["防汛抗早"] == "防汛抗旱"


@pytest.mark.django_db
def test_the_checks_before_review_store_the_word_level_candidates(world):
    Term.objects.create(account=world.account, kind="typo", term="汛情严竣", replacement="汛情严峻")
    article = draft(world, body="<p>各地要积极的做好防御工作，因该提前转移，全部暑期安排照常。</p>")
    found = {
        (f.text, f.suggestion)
        for f in article.findings.filter(revision=article.revision, kind="typo")
    }
    assert ("积极的做好", "积极地做好") in found and ("因该", "应该") in found
    assert not any(text == "部暑" for text, _ in found)
