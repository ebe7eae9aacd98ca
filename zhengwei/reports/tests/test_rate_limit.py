from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from zhengwei.reports import ratelimit, services
from zhengwei.reports.models import RateCounter, Report
from zhengwei.reports.tests.helpers import citizen, receive

pytestmark = pytest.mark.django_db
ACCOUNT = [""]


@pytest.fixture(autouse=True)
def _account(world):
    ACCOUNT[0] = world.account.original_id


def _post(client, phone, **extra):
    data = {
        "hazard": "waterlogging",
        "description": "积水",
        "phone": phone,
        "lat": "26.0612",
        "lng": "119.1952",
        "account": ACCOUNT[0],
        **extra,
    }
    return client.post(reverse("reports:h5_form"), data, REMOTE_ADDR=extra.pop("ip", "10.1.1.1"))


def test_one_citizen_flooding_the_form_is_stopped_without_affecting_others(world, client, settings):
    settings.REPORT_RATE_LIMIT = 3
    with freeze_time("2026-07-28 10:00:00+08:00") as clock:
        for _ in range(3):
            assert _post(client, "13800000001").status_code == 200
        refused = _post(client, "13800000001")
        assert refused.status_code == 429
        assert "10分钟" in refused.content.decode()
        assert _post(client, "13900000002").status_code == 200  # someone else
        assert Report.objects.count() == 4
        clock.tick(timedelta(minutes=11))
        assert _post(client, "13800000001").status_code == 200


def test_the_limit_is_kept_in_the_database_for_every_process(world, client, settings):
    settings.REPORT_RATE_LIMIT = 2
    with freeze_time("2026-07-28 10:00:00+08:00"):
        _post(client, "13800000001")
        assert RateCounter.objects.filter(key__startswith="phone:").get().count == 1


def test_the_ip_limit_is_generous_but_real(world, client, settings):
    settings.REPORT_RATE_LIMIT_IP = 2
    with freeze_time("2026-07-28 10:00:00+08:00"):
        assert _post(client, "13800000001").status_code == 200
        assert _post(client, "13800000002").status_code == 200
        assert _post(client, "13800000003").status_code == 429


def test_a_refused_submission_counts_nothing(world):
    limits = ratelimit.keys_for(phone_hash="a" * 64, ip="10.0.0.9")
    with freeze_time("2026-07-28 10:00:00+08:00"):
        for _ in range(5):
            assert ratelimit.hit(limits)
        assert not ratelimit.hit(limits)
        ip_counter = RateCounter.objects.get(key__startswith="ip:")
        assert ip_counter.count == 5


def test_old_counters_are_pruned(world):
    with freeze_time("2026-07-28 10:00:00+08:00") as clock:
        ratelimit.hit(ratelimit.keys_for(ip="10.0.0.9"))
        clock.tick(timedelta(days=2))
        assert ratelimit.prune() == 1


def test_intake_itself_limits_a_citizen_on_any_channel(world, settings):
    settings.REPORT_RATE_LIMIT = 2
    chat = citizen("o-flooder")
    first = receive(world, actor=chat)
    second = receive(world, actor=chat)
    with pytest.raises(services.RateLimited) as refused:
        receive(world, actor=chat)
    assert "110" in " ".join(refused.value.messages)
    assert Report.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    assert Report.objects.filter(reporter_openid="o-flooder").count() == 2
    # Someone else is not affected, and the office's own people are never limited.
    assert receive(world, actor=citizen("o-neighbour")).pk
    for _ in range(3):
        receive(world, actor=world["duty_officer"], channel="phone")
