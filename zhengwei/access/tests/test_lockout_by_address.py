"""Lock-out per user name and address, with a slower ceiling per user name (issue #9): a stranger
who knows a colleague's user name cannot lock them out from elsewhere with five requests."""

import pytest
from django.test import override_settings
from django.urls import reverse

from zhengwei.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("access:login")
WRONG = "Wrong@2026pass"


def sign_in(client, username: str, password: str, ip: str):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_from_one_address_leave_the_person_free_elsewhere(client, world):
    name = world["duty_officer"].username
    for _ in range(5):
        last = sign_in(client, name, WRONG, "203.0.113.9")
    assert last.status_code == 429
    assert sign_in(client, name, PASSWORD, "203.0.113.9").status_code == 429
    assert sign_in(client, name, PASSWORD, "10.1.2.3").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT_PER_NAME=12)
def test_failures_spread_over_many_addresses_lock_the_name_everywhere(client, world):
    name = world["duty_officer"].username
    for i in range(12):
        answer = sign_in(client, name, WRONG, f"198.51.100.{i % 4}")  # 3 each: none locked alone
    assert answer.status_code == 429
    assert sign_in(client, name, PASSWORD, "10.1.2.3").status_code == 429
    assert sign_in(client, world["duty_leader"].username, PASSWORD, "10.1.2.3").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT_PER_NAME=12)
def test_an_unknown_name_meets_both_limits_exactly_like_a_real_one(client, world):
    answers = {}
    for name in (world["duty_officer"].username, "nobody-here"):
        statuses = [
            sign_in(client, name, WRONG, f"198.51.100.{i % 4}").status_code for i in range(12)
        ]
        answers[name] = statuses
    assert answers[world["duty_officer"].username] == answers["nobody-here"]
    assert answers["nobody-here"][-1] == 429 and answers["nobody-here"][0] == 200
