import pytest
from django.core.management import call_command

from zhengwei.testing.factories import WeChatAccountFactory
from zhengwei.wechat.outbound import services, tokens
from zhengwei.wechat.outbound.models import ApiCall, DatacubeRow

pytestmark = pytest.mark.django_db


def test_it_polls_comments_fetches_statistics_and_refreshes_tokens(account, fake, world):
    tokens.get_token(account)
    services.comment_thread_watch(
        actor=world["system_admin"], account=world.account, msg_data_id=1, index=0
    )
    tokens.get_token(world.account)
    unverified = WeChatAccountFactory(verified=False)
    day = services.datacube_day().isoformat()
    fake.route("/datacube/getusercumulate", {"list": [{"ref_date": day, "cumulate_user": 9}]})
    fake.route("/cgi-bin/comment/list", {"errcode": 0, "total": 0, "comment": []})
    call_command("wechat_periodic")  # the test backend runs the tasks at once
    assert fake.count("/cgi-bin/comment/list") == 1  # only the watched article
    assert DatacubeRow.objects.filter(account=account, endpoint="getusercumulate").exists()
    assert not ApiCall.objects.filter(account=unverified).exists()
    fake.calls.clear()
    call_command("wechat_periodic", "--only", "datacube")
    assert fake.calls == []  # yesterday is already stored


def test_it_sends_what_a_worker_left_queued(world, fake, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from zhengwei.lib.events import publish
    from zhengwei.wechat.outbound.models import OutboundMessage, OutboundState

    tokens.get_token(world.account)
    publish(
        "wechat.message_received",
        account_id=world.account.pk,
        from_user="o1",
        kind="message",
        msg_type="text",
    )
    message = services.customer_message_send(
        actor=world["duty_officer"],
        account=world.account,
        openid="o1",
        msgtype="text",
        content={"content": "您好"},
    )  # its on-commit delivery never ran, as if the worker died
    OutboundMessage.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("wechat_periodic", "--only", "outbound")
    assert OutboundMessage.objects.get(pk=message.pk).state == OutboundState.SENT
