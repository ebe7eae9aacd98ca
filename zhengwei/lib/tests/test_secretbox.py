"""Secrets at rest: encrypted with FIELD_ENCRYPTION_KEY, or a reference to where they live."""

from __future__ import annotations

import pytest

from zhengwei.lib.secretbox import SecretError, describe, seal, unseal

KEY = "field-key-for-tests-0123456789"
OTHER_KEY = "another-field-key-9876543210"
APP_SECRET = "0123456789abcdef0123456789abcdef"


def test_a_sealed_secret_unseals_with_the_same_key():
    sealed = seal(APP_SECRET, key=KEY)
    assert unseal(sealed, key=KEY) == APP_SECRET


def test_a_sealed_secret_does_not_show_the_secret():
    sealed = seal(APP_SECRET, key=KEY)
    assert sealed.startswith("fernet:")
    assert APP_SECRET not in sealed
    assert KEY not in sealed


def test_sealing_twice_gives_different_ciphertexts():
    assert seal(APP_SECRET, key=KEY) != seal(APP_SECRET, key=KEY)


def test_unicode_and_empty_secrets_survive_the_round_trip():
    for value in ("福建防汛 密钥", ""):
        assert unseal(seal(value, key=KEY), key=KEY) == value


def test_the_wrong_key_raises_instead_of_returning_garbage():
    sealed = seal(APP_SECRET, key=KEY)
    with pytest.raises(SecretError, match="FIELD_ENCRYPTION_KEY"):
        unseal(sealed, key=OTHER_KEY)


def test_a_tampered_ciphertext_raises():
    sealed = seal(APP_SECRET, key=KEY)
    body = sealed.removeprefix("fernet:")
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    with pytest.raises(SecretError):
        unseal("fernet:" + flipped, key=KEY)


def test_nothing_stored_unseals_to_nothing():
    assert unseal("", key=KEY) == ""


def test_an_env_reference_is_stored_as_given_and_read_at_use_time(monkeypatch):
    stored = seal("env:ZW_APP_SECRET", key=KEY)
    assert stored == "env:ZW_APP_SECRET"
    monkeypatch.setenv("ZW_APP_SECRET", "first")
    assert unseal(stored, key=KEY) == "first"
    monkeypatch.setenv("ZW_APP_SECRET", "rotated")
    assert unseal(stored, key=OTHER_KEY) == "rotated"  # no key needed for a reference


def test_an_env_reference_to_an_unset_variable_raises(monkeypatch):
    monkeypatch.delenv("ZW_APP_SECRET", raising=False)
    with pytest.raises(SecretError, match="ZW_APP_SECRET"):
        unseal("env:ZW_APP_SECRET", key=KEY)


def test_a_file_reference_is_read_and_trimmed_at_use_time(tmp_path):
    path = tmp_path / "app_secret"
    path.write_text(APP_SECRET + "\n")
    stored = seal(f"file:{path}", key=KEY)
    assert stored == f"file:{path}"
    assert unseal(stored, key=KEY) == APP_SECRET


def test_a_file_reference_to_a_missing_file_raises(tmp_path):
    with pytest.raises(SecretError, match="unreadable"):
        unseal(f"file:{tmp_path / 'absent'}", key=KEY)


@pytest.mark.parametrize("stored", ["plain-secret", "aes:xyz", "fernet"])
def test_an_unknown_format_raises(stored):
    with pytest.raises(SecretError):
        unseal(stored, key=KEY)


def test_the_description_never_shows_an_encrypted_secret():
    sealed = seal(APP_SECRET, key=KEY)
    assert APP_SECRET not in describe(sealed)
    assert describe(sealed) == "已加密保存"
    assert describe("") == "—"
    assert describe("env:ZW_APP_SECRET") == "env:ZW_APP_SECRET"
    assert describe("file:/run/secrets/app") == "file:/run/secrets/app"
