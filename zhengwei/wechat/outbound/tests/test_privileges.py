import pytest

from zhengwei.orgs.models import AccountType
from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.outbound.client import WeChatClient
from zhengwei.wechat.outbound.errors import PrivilegeError

pytestmark = pytest.mark.django_db

SERVICE_ONLY = [
    ("oauth_url", ("https://example.gov.cn/report",), "网页授权"),
    ("template_send", ("openid", "TEMPLATE", {}), "模板消息"),
    ("qrcode_create", ("scene",), "二维码"),
    ("mass_send", (["o1", "o2"], "text", {"content": "台风"}), "群发"),
]

NEEDS_VERIFICATION = [
    ("menu_create", ({"button": [{"type": "click", "name": "汛情", "key": "k"}]},)),
    ("custom_send", ("openid", "text", {"content": "您好"})),
    ("mass_sendall", ("text", {"content": "台风预警"})),
    ("draft_add", ([{"title": "t", "content": "c", "thumb_media_id": "m"}],)),
    ("publish_submit", ("MEDIA",)),
    ("material_count", ()),
    ("user_info", ("openid",)),
]


@pytest.mark.parametrize("method, args, words", SERVICE_ONLY)
def test_a_verified_subscription_account_is_refused_service_account_privileges(
    account, fake, method, args, words
):
    with pytest.raises(PrivilegeError) as caught:
        getattr(WeChatClient(account), method)(*args)
    message = str(caught.value)
    assert "订阅号" in message and "服务号" in message and words in message
    assert fake.calls == []  # refused before any HTTP, even the token


@pytest.mark.parametrize("method, args", NEEDS_VERIFICATION)
def test_an_unverified_subscription_account_is_refused_before_any_http(fake, method, args):
    account = WeChatAccountFactory(verified=False)
    with pytest.raises(PrivilegeError) as caught:
        getattr(WeChatClient(account), method)(*args)
    assert "认证" in str(caught.value)
    assert fake.calls == []


def test_an_unverified_account_can_still_use_the_basic_interfaces(fake):
    account = WeChatAccountFactory(verified=False)
    fake.route("/cgi-bin/getcallbackip", {"ip_list": ["1.2.3.4"]})
    assert WeChatClient(account).callback_ips() == ["1.2.3.4"]


def test_a_verified_service_account_may_use_oauth(fake):
    account = WeChatAccountFactory(account_type=AccountType.SERVICE)
    url = WeChatClient(account).oauth_url("https://example.gov.cn/r?x=1", state="s")
    assert url.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?appid=")
    assert "redirect_uri=https%3A%2F%2Fexample.gov.cn%2Fr%3Fx%3D1" in url
    assert url.endswith("#wechat_redirect")
