"""zhengwei/wsgi.py sends WeChat's callback to the lean handler and everything else to Django."""

import pytest
from freezegun import freeze_time

from zhengwei.wechat.inbound import fastpath
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.helpers import build_request, text_fields, wsgi_call


@pytest.fixture
def direct_store(settings):
    # In-process tests run inside a transaction the writer thread could not see.
    settings.WECHAT_GROUP_COMMIT = False
    fastpath._store = None
    yield
    fastpath._store = None


@freeze_time("2014-09-03 09:14:40")
def test_the_lean_path_answers_url_verification(v1_account, direct_store):
    status, headers, body = wsgi_call(
        "GET",
        "/wechat/callback/gh_10f6c3c3ac5a/?signature=16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
        "&timestamp=1409735669&nonce=1320562132&echostr=shr5ch",
    )
    assert (status, body) == ("200 OK", b"shr5ch")
    assert headers["Content-Type"].startswith("text/plain")


def test_the_lean_path_stores_a_safe_mode_message(account, direct_store):
    url, body = build_request(account, text_fields(account, "经由精简路径"))
    status, _, answer = wsgi_call("POST", url, body)
    assert (status, answer) == ("200 OK", b"success")
    assert InboundMessage.objects.get().fields["Content"] == "经由精简路径"


def test_the_lean_path_refuses_what_is_not_a_callback_url(db, direct_store):
    assert wsgi_call("GET", "/wechat/callback/a/b/c")[0] == "404 Not Found"


def test_other_paths_go_to_django(monkeypatch):
    import zhengwei.wsgi

    def django_stub(environ, start_response):
        start_response("299 Django", [])
        return [environ["PATH_INFO"].encode()]

    monkeypatch.setattr(zhengwei.wsgi, "django_application", django_stub)
    assert wsgi_call("GET", "/login/")[::2] == ("299 Django", b"/login/")
    assert wsgi_call("GET", "/wechat/messages/")[2] == b"/wechat/messages/"
