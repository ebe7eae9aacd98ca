"""Processed messages older than RETENTION_DAYS["message_texts"] lose their content (type and
time stay for statistics); newer or unprocessed messages keep it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.retention import inbound_forget_texts

pytestmark = pytest.mark.django_db


def _message(world, key, *, days_ago, processed=True):
    at = timezone.now() - timedelta(days=days_ago)
    return InboundMessage.objects.create(
        account=world.account,
        dedupe_key=key,
        from_user="oCitizen",
        kind="message",
        msg_type="text",
        create_time=0,
        raw_xml="<xml><Content>我家地址是某某路</Content></xml>",
        fields={"Content": "我家地址是某某路"},
        mode="safe",
        received_at=at,
        processed_at=at if processed else None,
    )


def test_old_processed_texts_are_emptied_and_the_rest_kept(world):
    old = _message(world, "old", days_ago=200)
    waiting = _message(world, "waiting", days_ago=200, processed=False)
    recent = _message(world, "recent", days_ago=5)
    assert inbound_forget_texts(timezone.now() - timedelta(days=180)) == 1
    old.refresh_from_db()
    assert (old.raw_xml, old.fields, old.msg_type) == ("", {}, "text")
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert "某某路" in waiting.raw_xml
    assert recent.fields == {"Content": "我家地址是某某路"}
