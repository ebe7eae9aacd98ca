"""Comments on a sent article: citizens write them, the platform polls and answers them."""

import pytest

from zhengwei.simulator.citizen import Citizen, CitizenError
from zhengwei.simulator.models import SimArticle

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.fixture
def sent(api, draft):
    result = api.post(
        "cgi-bin/message/mass/sendall",
        {"filter": {"is_to_all": True}, "msgtype": "mpnews", "mpnews": {"media_id": draft()}},
    )
    return result["msg_data_id"]


def comment(api, path, **body):
    return api.post(f"cgi-bin/comment/{path}", body)


def test_a_citizens_comment_is_listed_replied_to_and_featured(api, sent, account):
    article = SimArticle.objects.get(msg_data_id=sent)
    Citizen("oFjFx0LinNvShi0000MinHou0001", account).comment(article, "请问闽侯今晚还有雨吗？")
    listed = comment(api, "list", msg_data_id=sent, index=0, begin=0, count=49, type=0)
    assert listed["total"] == 1
    first = listed["comment"][0]
    assert first["content"] == "请问闽侯今晚还有雨吗？" and first["comment_type"] == 0
    cid = first["user_comment_id"]
    reply = {"msg_data_id": sent, "index": 0, "user_comment_id": cid, "content": "今晚有中雨。"}
    assert comment(api, "reply/add", **reply)["errcode"] == 0
    assert comment(api, "reply/add", **reply)["errcode"] == 88005
    assert comment(api, "markelect", msg_data_id=sent, index=0, user_comment_id=cid)["errcode"] == 0
    featured = comment(api, "list", msg_data_id=sent, index=0, begin=0, count=10, type=2)
    assert featured["comment"][0]["reply"]["content"] == "今晚有中雨。"
    assert featured["comment"][0]["comment_type"] == 1


def test_listing_fifty_or_more_at_once_is_refused(api, sent):
    assert (
        comment(api, "list", msg_data_id=sent, index=0, begin=0, count=50, type=0)["errcode"]
        == 88010
    )


def test_an_unknown_article_answers_88001(api, sent):
    assert comment(api, "open", msg_data_id=sent, index=3)["errcode"] == 88001
    assert comment(api, "open", msg_data_id=1, index=0)["errcode"] == 88001


def test_closing_comments_stops_citizens_from_commenting(api, sent, account):
    assert comment(api, "close", msg_data_id=sent, index=0)["errcode"] == 0
    article = SimArticle.objects.get(msg_data_id=sent)
    with pytest.raises(CitizenError):
        Citizen("oFjFx0LinNvShi0000MinHou0001", account).comment(article, "还能留言吗")


def test_a_deleted_comment_leaves_the_list(api, sent, account):
    article = SimArticle.objects.get(msg_data_id=sent)
    made = Citizen("oFjFx0LinNvShi0000MinHou0001", account).comment(article, "广告")
    body = {"msg_data_id": sent, "index": 0, "user_comment_id": made.user_comment_id}
    assert comment(api, "delete", **body)["errcode"] == 0
    assert comment(api, "list", msg_data_id=sent, index=0, begin=0, count=10, type=0)["total"] == 0


def test_an_unverified_account_has_no_comment_privilege(api, sent, account):
    account.verified = False
    account.save()
    assert comment(api, "open", msg_data_id=sent, index=0)["errcode"] == 88000
