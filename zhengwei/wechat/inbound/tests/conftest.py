import pytest

from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.inbound import keys, replies


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The per-process caches outlive a test's rolled-back transaction; start each test clean.
    keys.forget_account()
    replies.forget_rules()
    yield
    keys.forget_account()
    replies.forget_rules()


@pytest.fixture
def account(db):
    return WeChatAccountFactory(message_mode="safe")


@pytest.fixture
def plain_account(db):
    return WeChatAccountFactory(message_mode="plaintext")


@pytest.fixture
def compat_account(db):
    return WeChatAccountFactory(message_mode="compatible")


@pytest.fixture
def v1_account(db):
    """The account of Tencent's published sample (brief wechat.md §8, V1)."""
    return WeChatAccountFactory(
        original_id="gh_10f6c3c3ac5a",
        app_id="wx2c2769f8efd9abc2",
        token="spamtest",
        encoding_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        message_mode="compatible",
    )
