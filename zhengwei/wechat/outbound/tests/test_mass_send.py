import pytest
from django.core.exceptions import PermissionDenied

from zhengwei.audit.models import AuditEntry
from zhengwei.wechat.outbound import services, tokens
from zhengwei.wechat.outbound.errors import MassSendQuotaExhausted
from zhengwei.wechat.outbound.models import CommentThread

pytestmark = pytest.mark.django_db
SENDALL = "/cgi-bin/message/mass/sendall"


@pytest.fixture
def acct(world, fake):
    tokens.get_token(world.account)
    return world.account


def test_a_push_to_all_followers_carries_clientmsgid_and_the_reprint_choice(world, acct, fake):
    fake.route(SENDALL, {"errcode": 0, "msg_id": 1000000001, "msg_data_id": 2247483651})
    services.mass_message_send(
        actor=world["office_leader"],
        account=acct,
        msgtype="mpnews",
        content={"media_id": "DRAFT_1"},
        send_ignore_reprint=True,
        clientmsgid="typhoon-haitang-2017-07-30",
        article_count=2,
        title="台风“海棠”防御",
    )
    [request] = fake.requests_to(SENDALL)
    assert request.json == {
        "msgtype": "mpnews",
        "mpnews": {"media_id": "DRAFT_1"},
        "filter": {"is_to_all": True},
        "send_ignore_reprint": 1,
        "clientmsgid": "typhoon-haitang-2017-07-30",
    }
    # The articles' comments are polled from now on.
    assert set(CommentThread.objects.values_list("index", flat=True)) == {0, 1}
    assert AuditEntry.objects.filter(action="wechat.mass_send", outcome="ok").exists()


def test_a_push_to_one_tag(wx, acct, fake):
    wx.mass_sendall("text", {"content": "闽侯县请注意防范"}, tag_id=101)
    assert fake.requests_to(SENDALL)[0].json["filter"] == {"is_to_all": False, "tag_id": 101}


def test_a_clientmsgid_makes_the_push_safe_to_retry(wx, acct, fake):
    fake.route(SENDALL, [{"errcode": -1, "errmsg": "busy"}, {"errcode": 0, "msg_id": 1}])
    wx.mass_sendall("text", {"content": "台风预警"}, clientmsgid="warn-1")
    assert fake.count(SENDALL) == 2


def test_an_exhausted_quota_is_audited_and_raised(world, acct, fake):
    fake.route(SENDALL, {"errcode": 45028, "errmsg": "has no masssend quota"})
    with pytest.raises(MassSendQuotaExhausted):
        services.mass_message_send(
            actor=world["operator"], account=acct, msgtype="text", content={"content": "预警"}
        )
    assert AuditEntry.objects.filter(action="wechat.mass_send", outcome="error").exists()


def test_preview_goes_to_one_follower(wx, acct, fake):
    wx.mass_preview("oEditor", "mpnews", {"media_id": "DRAFT_1"})
    [request] = fake.requests_to("/cgi-bin/message/mass/preview")
    assert request.json["touser"] == "oEditor"


def test_writers_may_not_push(world, acct, fake):
    with pytest.raises(PermissionDenied):
        services.mass_message_send(
            actor=world["writer"], account=acct, msgtype="text", content={"content": "x"}
        )
    assert fake.count(SENDALL) == 0
