import pytest

from zhengwei.wechat.outbound.tests.fakewechat import FakeWeChat


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wechat(settings):
    """A fake WeChat API for the calls the newsroom makes (uploads, drafts, publishing)."""
    server = FakeWeChat()
    settings.WECHAT_API_BASE = server.start()
    settings.WECHAT_LIMITS = {"http": {"backoff_seconds": 0.01, "backoff_max_seconds": 0.02}}
    settings.WECHAT_TOKEN_MODE = "stable"
    settings.REDIS_URL = ""
    yield server
    server.stop()
