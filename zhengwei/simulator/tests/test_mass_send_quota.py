"""Mass send: one successful sendall a day for a subscription account (45028 after),
clientmsgid de-duplication, and the push on every follower's phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengwei.lib.wxcrypto import WXCrypto, check_signature
from zhengwei.lib.wxxml import parse_message
from zhengwei.simulator.deliveries import deliver_due
from zhengwei.simulator.models import ItemSource, SimFollower, SimPhoneItem
from zhengwei.simulator.tests.helpers import Receiver

pytestmark = pytest.mark.django_db(databases="__all__")


def sendall(api, media_id=None, text=None, **extra):
    body = {"filter": {"is_to_all": True}, "send_ignore_reprint": 0, **extra}
    if media_id:
        body.update(msgtype="mpnews", mpnews={"media_id": media_id})
    else:
        body.update(msgtype="text", text={"content": text or "台风“海棠”预警：请注意防范。"})
    return api.post("cgi-bin/message/mass/sendall", body)


def test_the_second_sendall_of_the_day_answers_45028(api, account):
    start = timezone.now()
    with freeze_time(start) as clock:
        first = sendall(api, text="第一条预警")
        assert first["errcode"] == 0 and first["msg_id"]
        assert sendall(api, text="第二条预警")["errcode"] == 45028
        clock.tick(timedelta(days=1))
        api.login(account)
        assert sendall(api, text="次日预警")["errcode"] == 0


def test_a_service_account_has_no_daily_limit(api, account):
    account.account_type = "service"
    account.save()
    assert sendall(api, text="一")["errcode"] == 0
    assert sendall(api, text="二")["errcode"] == 0


def test_a_repeated_clientmsgid_answers_45065_with_the_first_msg_id(api, account):
    account.account_type = "service"  # so the daily quota does not answer first
    account.save()
    first = sendall(api, text="预警", clientmsgid="warn-2026-0712")
    again = sendall(api, text="预警（重发）", clientmsgid="warn-2026-0712")
    assert again["errcode"] == 45065
    assert again["msg_id"] == first["msg_id"]
    assert sendall(api, text="x", clientmsgid="c" * 65)["errcode"] == 45067


def test_an_mpnews_push_lands_on_every_followers_phone_when_the_job_finishes(
    api, draft, account, settings
):
    settings.SIMULATOR_LIMITS = {"mass": {"delay_seconds": 30}}
    SimFollower.objects.filter(openid="oFjFx0HuangAYi00000XiaPu0003").update(subscribed=False)
    start = timezone.now()
    with freeze_time(start) as clock:
        result = sendall(api, draft("台风“海棠”防御指引"))
        assert result["errcode"] == 0 and result["msg_data_id"]
        pushes = SimPhoneItem.objects.filter(source=ItemSource.MASS)
        assert pushes.count() == 2  # the two who still follow
        assert not pushes.filter(visible_at__lte=timezone.now()).exists()
        assert (
            api.post("cgi-bin/message/mass/get", {"msg_id": result["msg_id"]})["msg_status"]
            == "SENDING"
        )
        clock.tick(timedelta(seconds=31))
        assert pushes.filter(visible_at__lte=timezone.now()).count() == 2
        payload = pushes.first().payload
        assert payload["msgtype"] == "mpnews"
        assert payload["articles"][0]["title"] == "台风“海棠”防御指引"
        assert (
            api.post("cgi-bin/message/mass/get", {"msg_id": result["msg_id"]})["msg_status"]
            == "SEND_SUCCESS"
        )


def test_a_mass_sent_draft_leaves_the_draft_box(api, draft):
    media_id = draft()
    assert api.get("cgi-bin/draft/count")["total_count"] == 1
    sendall(api, media_id)
    assert api.get("cgi-bin/draft/count")["total_count"] == 0
    assert api.post("cgi-bin/draft/get", {"media_id": media_id})["errcode"] == 40007


def test_masssendjobfinish_reaches_the_callback_signed_and_encrypted(api, draft, account):
    seen = []
    crypto = WXCrypto(account.token, account.aes_key, account.app_id)

    def handler(params, body):
        assert check_signature(
            account.token, params["signature"], params["timestamp"], params["nonce"]
        )
        xml = crypto.decrypt_message(
            body, params["msg_signature"], params["timestamp"], params["nonce"]
        )
        seen.append(parse_message(xml))
        return 200, b"success"

    server = Receiver(handler)
    try:
        account.callback_url = f"{server.url}/wechat/callback/{account.original_id}/"
        account.save()
        result = sendall(api, draft())
        deliver_due()
    finally:
        server.close()
    assert len(seen) == 1
    event = seen[0]
    assert event.event == "masssendjobfinish"
    assert event.msg_id == str(result["msg_id"])
    assert event.fields["Status"] == "send success"
    assert event.fields["SentCount"] == "3"
    assert len(event.fields["ArticleUrlResult"]["ResultList"]) == 1


def test_preview_reaches_one_phone_and_spends_no_quota(api, draft):
    media_id = draft()
    body = {
        "touser": "oFjFx0LinNvShi0000MinHou0001",
        "msgtype": "mpnews",
        "mpnews": {"media_id": media_id},
    }
    assert api.post("cgi-bin/message/mass/preview", body)["errcode"] == 0
    assert SimPhoneItem.objects.filter(source=ItemSource.PREVIEW).count() == 1
    assert sendall(api, media_id)["errcode"] == 0


def test_an_unverified_subscription_account_cannot_mass_send(api, account):
    account.verified = False
    account.save()
    assert sendall(api)["errcode"] == 48001
