"""The log of refused callbacks cannot grow without bound (issue #9): strangers with no secret
can make the callback refuse as often as they like, and each refusal writes a row."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengwei.wechat.inbound.models import CallbackRejection
from zhengwei.wechat.inbound.services import callback_rejections_prune
from zhengwei.wechat.inbound.tests.helpers import build_request, text_fields

pytestmark = pytest.mark.django_db


def _rejections(count: int, *, age_days: float = 0):
    at = timezone.now() - timedelta(days=age_days)
    CallbackRejection.objects.bulk_create(
        CallbackRejection(reason="bad_signature", status=403, path=f"/x/{i}", at=at)
        for i in range(count)
    )


def test_rows_past_the_retention_are_pruned_and_recent_ones_kept(settings):
    settings.WECHAT_REJECTION_RETENTION_DAYS = 30
    _rejections(3, age_days=31)
    _rejections(2, age_days=29)
    assert callback_rejections_prune() == 3
    assert CallbackRejection.objects.count() == 2


def test_beyond_the_cap_the_oldest_rows_go_first(settings):
    settings.WECHAT_REJECTION_MAX_ROWS = 100
    _rejections(30, age_days=2)
    _rejections(100, age_days=1)
    assert callback_rejections_prune() == 30
    assert CallbackRejection.objects.count() == 100
    assert not CallbackRejection.objects.filter(at__lt=timezone.now() - timedelta(days=1.5))


def test_the_sweep_prunes_what_a_flood_of_forged_callbacks_wrote(client, plain_account, settings):
    settings.WECHAT_REJECTION_MAX_ROWS = 100
    url, body = build_request(plain_account, text_fields(plain_account))
    forged = url.replace("signature=", "signature=0", 1)
    for _ in range(120):
        assert client.post(forged, data=body, content_type="text/xml").status_code == 403
    assert CallbackRejection.objects.filter(reason="bad_signature").count() == 120
    call_command("wechat_sweep")
    assert CallbackRejection.objects.filter(reason="bad_signature").count() == 100
