import pytest

from zhengwei.wechat.inbound import keys, replies
from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    """Per-process caches start clean; photos go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_URL = "https://fx.example.gov.cn"
    keys.forget_account()
    replies.forget_rules()
    yield
    keys.forget_account()
    replies.forget_rules()


@pytest.fixture(autouse=True)
def wechat(settings):
    """A fake WeChat API: customer-service messages, media downloads and comment replies land
    here instead of the internet."""
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_LIMITS = {"http": {"backoff_seconds": 0.01, "backoff_max_seconds": 0.02}}
    settings.WECHAT_TOKEN_MODE = "stable"
    yield server
    server.stop()
