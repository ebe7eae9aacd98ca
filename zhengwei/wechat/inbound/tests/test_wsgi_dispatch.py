"""zhengwei/wsgi.py sends WeChat's callback to the lean handler and everything else to Django."""

import io

import pytest
from freezegun import freeze_time

from zhengwei.wechat.inbound import fastpath
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.helpers import build_request, text_fields
from zhengwei.wsgi import application


@pytest.fixture
def direct_store(settings):
    # In-process tests run inside a transaction the writer thread could not see.
    settings.WECHAT_GROUP_COMMIT = False
    fastpath._store = None
    yield
    fastpath._store = None


def _call(method, url, body=b""):
    path, _, query = url.partition("?")
    captured = {}
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "text/xml",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
    }
    chunks = application(
        environ, lambda status, headers: captured.update(status=status, headers=dict(headers))
    )
    return captured["status"], captured["headers"], b"".join(chunks)


@freeze_time("2014-09-03 09:14:40")
def test_the_lean_path_answers_url_verification(v1_account, direct_store):
    status, headers, body = _call(
        "GET",
        "/wechat/callback/gh_10f6c3c3ac5a/?signature=16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
        "&timestamp=1409735669&nonce=1320562132&echostr=shr5ch",
    )
    assert (status, body) == ("200 OK", b"shr5ch")
    assert headers["Content-Type"].startswith("text/plain")


def test_the_lean_path_stores_a_safe_mode_message(account, direct_store):
    url, body = build_request(account, text_fields(account, "经由精简路径"))
    status, _, answer = _call("POST", url, body)
    assert (status, answer) == ("200 OK", b"success")
    assert InboundMessage.objects.get().fields["Content"] == "经由精简路径"


def test_the_lean_path_refuses_what_is_not_a_callback_url(db, direct_store):
    assert _call("GET", "/wechat/callback/a/b/c")[0] == "404 Not Found"


def test_other_paths_go_to_django(monkeypatch):
    import zhengwei.wsgi

    def django_stub(environ, start_response):
        start_response("299 Django", [])
        return [environ["PATH_INFO"].encode()]

    monkeypatch.setattr(zhengwei.wsgi, "django_application", django_stub)
    assert _call("GET", "/login/")[::2] == ("299 Django", b"/login/")
    assert _call("GET", "/wechat/messages/")[2] == b"/wechat/messages/"
