"""The reporter's phone and name are stored field-encrypted (AES-GCM, or SM4-GCM when chosen),
never in clear; rotate_field_keys re-encrypts them under a new key, resumably."""

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from zhengwei.audit.models import AuditEntry
from zhengwei.lib import fieldcrypt, secretbox
from zhengwei.reports.models import Report
from zhengwei.reports.phones import digest
from zhengwei.reports.tests.helpers import receive

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture
def report(world):
    return receive(world, phone=PHONE, name="陈大伯")


def _raw(report):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporter_phone_sealed, reporter_name_sealed FROM reports_report WHERE id = %s",
            [report.pk],
        )
        return cursor.fetchone()


def test_the_database_holds_no_clear_phone_or_name(report):
    phone, name = _raw(report)
    assert phone.startswith("zf1$aes-gcm$0$")
    assert PHONE not in phone and "陈大伯" not in name
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.reporter_phone == PHONE
    assert fresh.reporter_name == "陈大伯"
    assert fresh.reporter_phone_hash == digest(PHONE)  # the look-up index, not the ciphertext


def test_sm4_is_chosen_by_a_setting(world, settings):
    settings.FIELD_CIPHER = "sm4-gcm"
    report = receive(world, phone=PHONE)
    assert _raw(report)[0].startswith("zf1$sm4-gcm$0$")
    assert Report.objects.get(pk=report.pk).reporter_phone == PHONE


def test_rotation_re_encrypts_under_the_new_key_and_the_old_key_can_then_go(report, settings):
    settings.FIELD_KEYS = {**settings.FIELD_KEYS, "1": b"\x01" * 32}
    settings.FIELD_KEY_ACTIVE = "1"
    settings.FIELD_CIPHER = "sm4-gcm"
    out = StringIO()
    call_command("rotate_field_keys", "--batch", "1", stdout=out)
    assert "0 left" in out.getvalue()
    assert _raw(report)[0].startswith("zf1$sm4-gcm$1$")
    settings.FIELD_KEYS = {"1": b"\x01" * 32}
    assert Report.objects.get(pk=report.pk).reporter_phone == PHONE
    assert AuditEntry.objects.get(action="fieldcrypt.rotate").after["re_encrypted"] >= 2


def test_a_second_rotation_run_has_nothing_left_to_do(report):
    call_command("rotate_field_keys", stdout=StringIO())
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "reporter_phone_sealed: 0 values" in out.getvalue()


def test_values_sealed_before_field_encryption_are_read_and_rotated(report, settings):
    legacy = secretbox.seal(PHONE, key=settings.FIELD_ENCRYPTION_KEY)
    Report.objects.filter(pk=report.pk).update(reporter_phone_sealed=legacy)
    assert Report.objects.get(pk=report.pk).reporter_phone == PHONE
    call_command("rotate_field_keys", stdout=StringIO())
    assert _raw(report)[0].startswith("zf1$")


def test_keys_come_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("FIELD_KEYS", json.dumps({"7": base64.b64encode(b"k" * 32).decode()}))
    monkeypatch.setenv("FIELD_KEY_ACTIVE", "7")
    import importlib

    import zhengwei.settings as live

    fresh = importlib.reload(live)
    try:
        assert fresh.FIELD_KEYS == {"7": b"k" * 32}
        assert fieldcrypt.KeyRing(fresh.FIELD_KEYS, fresh.FIELD_KEY_ACTIVE).active == "7"
    finally:
        monkeypatch.delenv("FIELD_KEYS")
        monkeypatch.delenv("FIELD_KEY_ACTIVE")
        importlib.reload(live)
