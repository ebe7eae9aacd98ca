"""At security level 3 the office's administrators and auditors use the console only with a
second factor; level 2 (or an emptied SECURITY_OTP_ROLES) relaxes it by settings alone."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

HOME = reverse("console:home")
SECURITY = reverse("access:security")


@pytest.fixture
def level3(settings):
    settings.SECURITY_LEVEL = 3
    settings.SECURITY_OTP_ROLES = ["system_admin", "security_admin", "auditor"]


def code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "auditor"])
def test_an_administrator_without_a_second_factor_is_sent_to_set_one_up(
    level3, world, client_for, role
):
    response = client_for(world[role]).get(HOME, follow=True)
    assert response.redirect_chain[-1][0] == SECURITY
    html = response.content.decode()
    assert "双因素" in html
    assert "data-testid" in html or "<svg" in html  # the QR code to scan


def test_the_audit_log_stays_closed_to_an_unverified_auditor(level3, world, client_for):
    response = client_for(world["auditor"]).get(reverse("audit:list"))
    assert response.status_code == 302
    assert response["Location"] == SECURITY


def test_setting_up_the_authenticator_opens_the_console_in_the_same_session(
    level3, world, client_for
):
    client = client_for(world["auditor"])
    client.get(SECURITY)
    device = TOTPDevice.objects.get(user=world["auditor"], confirmed=False)
    client.post(SECURITY, {"confirm_otp": "1", "token": code(device)})
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert "审计日志" in response.content.decode()


def test_other_roles_are_not_forced_at_level_3(level3, world, client_for):
    response = client_for(world["duty_officer"]).get(HOME)
    assert response.status_code == 200
    assert "值班" in response.content.decode()


def test_level_2_lets_an_administrator_in_with_a_password(world, client_for, settings):
    settings.SECURITY_LEVEL = 2
    settings.SECURITY_OTP_ROLES = []
    response = client_for(world["system_admin"]).get(HOME)
    assert response.status_code == 200
    assert "组织" in response.content.decode()


def test_the_roles_forced_are_a_setting_not_code(world, client_for, settings):
    settings.SECURITY_OTP_ROLES = ["duty_officer"]
    response = client_for(world["duty_officer"]).get(HOME)
    assert response["Location"] == SECURITY
    assert client_for(world["system_admin"]).get(HOME).status_code == 200


def test_signing_out_stays_possible(level3, world, client_for):
    client = client_for(world["system_admin"])
    response = client.post(reverse("access:logout"))
    assert response.status_code == 302
    assert response["Location"] != SECURITY
