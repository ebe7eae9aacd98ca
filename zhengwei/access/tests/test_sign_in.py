"""Sign-in security: passwords, lock-out, idle sessions, two-factor, and the audit of each."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.models import User
from zhengwei.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("access:login")
OTP = reverse("access:otp")
HOME = reverse("console:home")
SECURITY = reverse("access:security")
START = "2026-06-01 00:00:00"  # UTC; any fixed moment will do
CJK = re.compile(r"[\u4e00-\u9fff]")


def sign_in(client, username: str, password: str):
    return client.post(SIGN_IN, {"username": username, "password": password})


def sign_in_error(response) -> str:
    match = re.search(r'data-testid="signin-error">(.*?)</div>', response.content.decode(), re.S)
    assert match, "the sign-in page shows no error"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def is_signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def entries(action: str):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()  # freezegun's clock when frozen
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(totp_code(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


@pytest.fixture
def person(world):
    return world["duty_officer"]


@pytest.fixture
def enrolled(person):
    device = TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)
    return person, device


# --- Passwords --------------------------------------------------------------------------


def test_the_right_password_signs_in_and_is_audited(client, person):
    response = sign_in(client, person.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert is_signed_in(client)
    [entry] = entries("auth.sign_in")
    assert entry.actor == person
    assert entry.actor_name == person.username
    assert entry.ip == "127.0.0.1"
    assert entry.outcome == "ok"


def test_a_wrong_password_and_an_unknown_name_get_the_same_chinese_message(client, person):
    wrong_password = sign_in(client, person.username, "Wrong@2026pass")
    unknown_name = sign_in(client, "nobody-here", "Wrong@2026pass")
    assert wrong_password.status_code == unknown_name.status_code == 200
    message = sign_in_error(wrong_password)
    assert message == sign_in_error(unknown_name)
    assert CJK.search(message), message
    assert not is_signed_in(client)


def test_an_inactive_person_with_the_right_password_gets_the_same_message(client, person):
    User.objects.filter(pk=person.pk).update(is_active=False)
    inactive = sign_in(client, person.username, PASSWORD)
    unknown = sign_in(client, "nobody-here", PASSWORD)
    assert inactive.status_code == unknown.status_code == 200
    assert sign_in_error(inactive) == sign_in_error(unknown)
    assert not is_signed_in(client)


def test_each_failure_is_audited_without_telling_whether_the_person_exists(client, person):
    sign_in(client, person.username, "Wrong@2026pass")
    sign_in(client, "nobody-here", "Wrong@2026pass")
    known, unknown = entries("auth.sign_in_failed")
    assert (known.actor_name, unknown.actor_name) == (person.username, "nobody-here")

    def shape(e):
        return (e.actor_id, e.actor_org, e.role, e.object_type, e.object_id, e.outcome, e.ip)

    assert shape(known) == shape(unknown) == (None, "", "", "auth", "", "denied", "127.0.0.1")


# --- Lock-out ---------------------------------------------------------------------------


def test_five_failures_lock_the_user_name_for_fifteen_minutes(client, person):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME * 60 == 15
    for _ in range(4):
        assert sign_in(client, person.username, "Wrong@2026pass").status_code == 200
    locked = sign_in(client, person.username, "Wrong@2026pass")
    assert locked.status_code == 429
    message = sign_in_error(locked)
    assert "15" in message and CJK.search(message), message
    # Now even the right password is refused.
    again = sign_in(client, person.username, PASSWORD)
    assert again.status_code == 429
    assert not is_signed_in(client)
    lockouts = entries("auth.locked_out")
    assert len(lockouts) == 2
    assert {e.actor_name for e in lockouts} == {person.username}
    assert all(e.outcome == "denied" and e.actor_id is None for e in lockouts)


def test_an_unknown_user_name_is_locked_the_same_way(client, person):
    responses = {}
    for name in (person.username, "nobody-here"):
        for _ in range(5):
            responses[name] = sign_in(client, name, "Wrong@2026pass")
    known, unknown = responses[person.username], responses["nobody-here"]
    assert known.status_code == unknown.status_code == 429
    assert sign_in_error(known) == sign_in_error(unknown)
    assert [e.actor_name for e in entries("auth.locked_out")] == [person.username, "nobody-here"]


def test_a_locked_name_leaves_colleagues_at_the_same_address_alone(client, world):
    for _ in range(5):
        sign_in(client, world["duty_officer"].username, "Wrong@2026pass")
    assert sign_in(client, world["duty_leader"].username, PASSWORD).status_code == 302


def test_after_the_cool_off_sign_in_works_again(client, person):
    with freeze_time(START) as clock:
        for _ in range(5):
            sign_in(client, person.username, "Wrong@2026pass")
        clock.tick(timedelta(minutes=14))
        assert sign_in(client, person.username, PASSWORD).status_code == 429
        clock.tick(timedelta(minutes=1, seconds=1))
        assert sign_in(client, person.username, PASSWORD).status_code == 302
        assert is_signed_in(client)


def test_a_successful_sign_in_forgets_earlier_failures(client, person):
    for _ in range(4):
        sign_in(client, person.username, "Wrong@2026pass")
    assert sign_in(client, person.username, PASSWORD).status_code == 302
    client.post(reverse("access:logout"))
    for _ in range(4):
        assert sign_in(client, person.username, "Wrong@2026pass").status_code == 200


# --- Idle sessions ----------------------------------------------------------------------


def test_sessions_are_idle_sessions_of_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_an_idle_session_ends_after_thirty_minutes_and_activity_keeps_it_alive(client, person):
    with freeze_time(START) as clock:
        assert sign_in(client, person.username, PASSWORD).status_code == 302
        # Each request within 30 minutes of the last one keeps the session.
        for _ in range(3):
            clock.tick(timedelta(minutes=25))
            assert is_signed_in(client)
        clock.tick(timedelta(minutes=30, seconds=1))
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


# --- Two-factor (TOTP) ------------------------------------------------------------------


def test_enrolling_in_two_factor_makes_sign_in_ask_for_the_code(client, client_for, person):
    with freeze_time(START) as clock:
        page = client_for(person).get(SECURITY)
        assert page.status_code == 200
        assert 'data-testid="otp-qr"' in page.content.decode()
        device = TOTPDevice.objects.get(user=person, confirmed=False)
        response = client.post(SECURITY, {"confirm_otp": "1", "token": totp_code(device)})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert len(entries("auth.otp_enrolled")) == 1

        client.post(reverse("access:logout"))
        clock.tick(timedelta(seconds=60))
        before = len(entries("auth.sign_in"))
        response = sign_in(client, person.username, PASSWORD)
        assert response.status_code == 302
        assert response["Location"].startswith(OTP)
        # The password alone does not sign in.
        assert not is_signed_in(client)
        assert len(entries("auth.sign_in")) == before

        response = client.post(OTP, {"token": totp_code(device)})
        assert response.status_code == 302
        assert response["Location"] == HOME
        assert is_signed_in(client)
        assert len(entries("auth.sign_in")) == before + 1


def test_a_wrong_enrolment_code_leaves_two_factor_off(client_for, person):
    client = client_for(person)
    client.get(SECURITY)
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post(SECURITY, {"confirm_otp": "1", "token": wrong_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert len(entries("auth.otp_enrol_failed")) == 1


def test_a_wrong_code_is_audited_and_the_right_one_then_signs_in(client, enrolled):
    person, device = enrolled
    with freeze_time(START) as clock:
        sign_in(client, person.username, PASSWORD)
        response = client.post(OTP, {"token": wrong_code(device)})
        assert response.status_code == 200
        assert not is_signed_in(client)
        [failed] = entries("auth.otp_failed")
        assert failed.actor_name == person.username and failed.outcome == "denied"
        clock.tick(timedelta(seconds=5))  # django-otp throttles after a failure
        assert client.post(OTP, {"token": totp_code(device)}).status_code == 302
        assert is_signed_in(client)


def test_five_wrong_codes_end_the_attempt(client, enrolled):
    person, device = enrolled
    with freeze_time(START) as clock:
        sign_in(client, person.username, PASSWORD)
        for _ in range(4):
            assert client.post(OTP, {"token": wrong_code(device)}).status_code == 200
            clock.tick(timedelta(seconds=20))
        response = client.post(OTP, {"token": wrong_code(device)}, follow=True)
        assert response.redirect_chain[-1][0] == SIGN_IN
        assert len(entries("auth.otp_failed")) == 5
        assert any(CJK.search(str(m)) for m in response.context["messages"])
        # The half-finished sign-in is gone: the right code alone no longer helps.
        clock.tick(timedelta(seconds=60))
        response = client.post(OTP, {"token": totp_code(device)})
        assert response.status_code == 302
        assert response["Location"] == SIGN_IN
        assert not is_signed_in(client)


def test_the_code_page_without_a_password_step_sends_back_to_sign_in(client):
    response = client.get(OTP)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN


# --- Password rules and hashing ---------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["abcdefgh", "Abcdefgh", "12345678", "Ab1@xyz", "", "Password1"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_password_mixing_three_classes_is_accepted():
    validate_password("Flood@2026x")


def test_the_character_class_rule_explains_itself_in_chinese():
    # Long, uncommon, but only lower- and upper-case letters: only the class rule objects.
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("MinjiangFloodGate")
    assert [e.code for e in error.value.error_list] == ["password_too_simple"]
    text = " ".join(error.value.messages)
    assert CJK.search(text), text


def test_changing_to_a_weak_password_on_the_security_page_is_refused(client_for, person):
    client = client_for(person)
    response = client.post(
        SECURITY,
        {
            "change_password": "1",
            "old_password": PASSWORD,
            "new_password1": "abcdefgh",
            "new_password2": "abcdefgh",
        },
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_production_hashes_passwords_with_argon2():
    from django.contrib.auth.hashers import make_password

    import zhengwei.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("Flood@2026x").startswith("argon2$")
