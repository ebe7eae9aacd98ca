import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengwei.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _post(client, person, **data):
    return client.post(reverse("console:person_security", args=[person.pk]), data)


def test_an_administrator_sets_a_temporary_password(world, client_for):
    person = world["writer"]
    response = _post(
        client_for(world["system_admin"]), person, what="password", password="Typhoon@2026x"
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Typhoon@2026x")
    assert AuditEntry.objects.filter(action="user.set_password", object_id=str(person.pk)).exists()


def test_a_weak_temporary_password_is_refused(world, client_for):
    person = world["writer"]
    client = client_for(world["system_admin"])
    response = _post(client, person, what="password", password="abcdefgh")
    person.refresh_from_db()
    assert not person.check_password("abcdefgh")
    assert response.status_code == 302


def test_an_administrator_removes_a_lost_authenticator(world, client_for):
    person = world["duty_officer"]
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    _post(client_for(world["system_admin"]), person, what="otp")
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="auth.otp_reset").exists()


def test_an_administrator_lifts_a_lock_out(world, client_for):
    person = world["duty_officer"]
    AccessAttempt.objects.create(
        username=person.username,
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    client = client_for(world["system_admin"])
    page = client.get(reverse("console:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="unlock"' in page
    _post(client, person, what="unlock")
    assert not AccessAttempt.objects.filter(username=person.username).exists()
    assert AuditEntry.objects.filter(action="auth.unlock").exists()


def test_nobody_else_may_use_sign_in_help(world, client_for):
    person = world["writer"]
    response = _post(client_for(world["editor"]), person, what="password", password="Typhoon@2026x")
    assert response.status_code == 403
