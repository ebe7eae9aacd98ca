"""The one masking rule for citizens' personal data in free text (zhengwei.lib.privacy)."""

import pytest

from zhengwei.lib.privacy import Lens, coarse, mask_name, mask_text, pseudonym


@pytest.mark.parametrize(
    ("raw", "gone", "kept"),
    [
        ("我的电话13812345678，快来", "13812345678", "138****5678"),
        ("电话 138 1234 5678", "1234 5678", "138****5678"),
        ("+86 138-1234-5678", "1234-5678", "138****5678"),
        ("座机0591-87654321", "87654321", "0591-******21"),
        ("座机（0591）8765432", "8765432", "0591-*****32"),
        ("身份证350102198001011234", "350102198001011234", "3****************4"),
        ("身份证35010219800101123X号", "35010219800101123X", "3****************X"),
        ("卡号6222 0212 3456 7890 123", "7890", "***************0123"),
        ("卡号6222021234567890", "6222021234567890", "************7890"),
        ("车牌闽A·12345被淹", "12345", "闽A·*****"),
        ("车牌闽AD12345", "D12345", "闽A·******"),
        ("邮箱 wang.jianguo@example.com", "wang.jianguo", "w***@example.com"),
    ],
)
def test_mask_text_hides_each_kind_of_personal_data(raw, gone, kept):
    masked = mask_text(raw)
    assert gone not in masked
    assert kept in masked


def test_mask_text_masks_the_names_given_in_structured_fields():
    assert mask_text("我叫王建国，住在王庄", names=["王建国"]) == "我叫王**，住在王庄"


def test_mask_text_leaves_tickets_times_and_counts_alone():
    text = "工单号FJ20261205-0001，2026-12-05 14:30 水深1.5米，3人被困"
    assert mask_text(text) == text


def test_mask_text_keeps_empty_values():
    assert mask_text("") == ""
    assert mask_text(None) == ""


def test_mask_name_keeps_the_surname():
    assert mask_name("王建国") == "王**"
    assert mask_name("王") == "*"


def test_a_pseudonym_is_short_and_stable_per_account_and_differs_between_accounts():
    a = pseudonym("oZw_marker_openid", account_id=1)
    assert a == pseudonym("oZw_marker_openid", account_id=1)
    assert a != pseudonym("oZw_marker_openid", account_id=2)
    assert a != pseudonym("oZw_other", account_id=1)
    assert "oZw" not in a and len(a) <= 8
    assert pseudonym("", account_id=1) == ""


def test_coarse_rounds_to_about_a_kilometre():
    assert coarse(26.081234, 119.296789) == (26.08, 119.3)
    assert coarse(None, 119.3) is None


def test_a_lens_masks_until_revealed_and_shows_exact_points_only_to_personal_roles():
    text = "电话13812345678"
    assert Lens(account_id=1).text(text) == "电话138****5678"
    assert Lens(account_id=1, personal=True).text(text) == "电话138****5678"
    assert Lens(account_id=1, personal=True, revealed=True).text(text) == text
    assert Lens(account_id=1).point(26.081234, 119.296789) == (26.08, 119.3)
    assert Lens(account_id=1, personal=True).point(26.081234, 119.296789) == (26.081234, 119.296789)
    assert Lens(account_id=1).openid("oX") == pseudonym("oX", account_id=1)


def test_mask_text_masks_a_name_the_writer_introduces():
    assert mask_text("我叫林晓澜，电话来") == "我叫林**，电话来"
    assert "建国" not in mask_text("联系人：王建国 13800001234")
    assert mask_text("姓名 王五") == "姓名 王*"
