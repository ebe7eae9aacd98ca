import pytest

from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat

FAST = {"http": {"backoff_seconds": 0.01, "backoff_max_seconds": 0.02}}


@pytest.fixture
def fake(settings):
    """A fake WeChat API on a random port; settings point the client at it."""
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_LIMITS = FAST
    settings.WECHAT_TOKEN_MODE = "stable"
    settings.REDIS_URL = ""
    yield server
    server.stop()


@pytest.fixture
def account(db):
    """福建防汛 as it is: a verified subscription account."""
    return WeChatAccountFactory(name="福建防汛")


@pytest.fixture
def wx(account, fake):
    from zhengwei.wechat.outbound.client import WeChatClient

    return WeChatClient(account)
