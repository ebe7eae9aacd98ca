import pytest

from zhengwei.wechat.outbound import errors, tokens

pytestmark = pytest.mark.django_db

CODES = {
    40001: errors.InvalidToken,
    40014: errors.InvalidToken,
    42001: errors.InvalidToken,
    40164: errors.IpNotWhitelisted,
    40018: errors.InvalidMenuName,
    45003: errors.TitleTooLong,
    45009: errors.QuotaExceeded,
    45011: errors.RateLimited,
    45015: errors.OutsideServiceWindow,
    45028: errors.MassSendQuotaExhausted,
    45047: errors.ServiceQuotaExhausted,
    48001: errors.Unauthorized,
    48004: errors.ApiBanned,
    48006: errors.ClearQuotaExhausted,
    88000: errors.NoCommentPrivilege,
}


@pytest.mark.parametrize("code, cls", CODES.items())
def test_each_documented_code_becomes_its_own_exception(code, cls):
    error = errors.error_for(code, "msg", endpoint="/cgi-bin/x")
    assert type(error) is cls
    assert error.errcode == code and error.errmsg == "msg"


def test_explanations_are_chinese():
    for cls in set(CODES.values()):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(cls.explanation)), cls


def test_an_unknown_code_is_still_a_wechat_error():
    error = errors.error_for(61024, "weird")
    assert type(error) is errors.WeChatError and error.errcode == 61024


def test_the_token_endpoints_40001_means_a_wrong_secret():
    assert type(errors.error_for(40001, endpoint="/cgi-bin/token")) is errors.InvalidCredential


def test_an_api_error_reaches_the_caller_typed(wx, account, fake):
    tokens.get_token(account)
    fake.route(
        "/cgi-bin/message/mass/sendall", {"errcode": 45028, "errmsg": "has no masssend quota"}
    )
    with pytest.raises(errors.MassSendQuotaExhausted) as caught:
        wx.mass_sendall("text", {"content": "台风预警"})
    assert caught.value.endpoint == "/cgi-bin/message/mass/sendall"
    assert "群发" in str(caught.value)
