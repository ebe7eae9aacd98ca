"""The environment readers fail loudly: a typo in production configuration stops the start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from zhengwei.lib import env
from zhengwei.lib.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    persistent_secret,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in ("ZW_FLAG", "ZW_COUNT", "ZW_HOSTS", "ZW_KEY", "ZW_KEY_FILE", "ZW_TEXT"):
        monkeypatch.delenv(name, raising=False)


# --- env_str -----------------------------------------------------------------------------


def test_a_string_is_read_as_given_or_defaults(monkeypatch):
    assert env_str("ZW_TEXT", "fallback") == "fallback"
    monkeypatch.setenv("ZW_TEXT", "Asia/Shanghai")
    assert env_str("ZW_TEXT", "fallback") == "Asia/Shanghai"


# --- env_bool ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " true "])
def test_a_flag_reads_the_usual_spellings_of_true(monkeypatch, raw):
    monkeypatch.setenv("ZW_FLAG", raw)
    assert env_bool("ZW_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_a_flag_reads_the_usual_spellings_of_false(monkeypatch, raw):
    monkeypatch.setenv("ZW_FLAG", raw)
    assert env_bool("ZW_FLAG", True) is False


def test_an_unset_flag_takes_its_default():
    assert env_bool("ZW_FLAG", True) is True
    assert env_bool("ZW_FLAG", False) is False


@pytest.mark.parametrize("raw", ["2", "maybe", "tru", "是", "enabled"])
def test_a_flag_with_any_other_value_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("ZW_FLAG", raw)
    with pytest.raises(ConfigError, match="ZW_FLAG must be true or false"):
        env_bool("ZW_FLAG", False)


# --- env_int -----------------------------------------------------------------------------


def test_a_number_is_read_and_blank_means_the_default(monkeypatch):
    assert env_int("ZW_COUNT", 7) == 7
    monkeypatch.setenv("ZW_COUNT", "  ")
    assert env_int("ZW_COUNT", 7) == 7
    monkeypatch.setenv("ZW_COUNT", "1800")
    assert env_int("ZW_COUNT", 7) == 1800


@pytest.mark.parametrize("raw", ["ten", "1.5", "1e3", "30m", "0x10"])
def test_a_number_that_is_not_an_integer_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("ZW_COUNT", raw)
    with pytest.raises(ConfigError, match="ZW_COUNT must be an integer"):
        env_int("ZW_COUNT", 7)


def test_a_number_below_its_minimum_stops_the_start(monkeypatch):
    monkeypatch.setenv("ZW_COUNT", "90")
    with pytest.raises(ConfigError, match="at least 180"):
        env_int("ZW_COUNT", 180, minimum=180)
    monkeypatch.setenv("ZW_COUNT", "180")
    assert env_int("ZW_COUNT", 365, minimum=180) == 180


# --- env_list ----------------------------------------------------------------------------


def test_a_list_is_split_on_commas_and_trimmed(monkeypatch):
    monkeypatch.setenv("ZW_HOSTS", " fx.example.gov.cn, ,localhost,, ")
    assert env_list("ZW_HOSTS") == ["fx.example.gov.cn", "localhost"]


def test_an_unset_list_gives_a_copy_of_its_default():
    default = ["localhost"]
    value = env_list("ZW_HOSTS", default)
    value.append("evil.example")
    assert default == ["localhost"]
    assert env_list("ZW_HOSTS") == []


# --- env_secret --------------------------------------------------------------------------


def test_a_secret_is_read_from_the_variable(monkeypatch):
    monkeypatch.setenv("ZW_KEY", "s3cret")
    assert env_secret("ZW_KEY") == "s3cret"
    assert env_secret("ZW_MISSING", "dflt") == "dflt"


def test_a_mounted_secret_file_wins_over_the_variable_and_is_trimmed(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-file\n")
    monkeypatch.setenv("ZW_KEY", "from-variable")
    monkeypatch.setenv("ZW_KEY_FILE", str(secret))
    assert env_secret("ZW_KEY") == "from-file"


def test_an_unreadable_secret_file_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("ZW_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigError, match="ZW_KEY_FILE points to an unreadable file"):
        env_secret("ZW_KEY")


def test_an_empty_secret_file_stops_the_start(monkeypatch, tmp_path):
    empty = tmp_path / "key"
    empty.write_text("  \n")
    monkeypatch.setenv("ZW_KEY_FILE", str(empty))
    with pytest.raises(ConfigError, match="empty"):
        env_secret("ZW_KEY")


# --- persistent_secret -------------------------------------------------------------------


def test_a_persistent_secret_is_generated_once_privately_and_reused(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = persistent_secret(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert persistent_secret(path) == first
    assert persistent_secret(tmp_path / "other_key") != first


def test_processes_starting_together_share_one_secret(tmp_path):
    path = tmp_path / "field_key"
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker():
        start.wait()
        try:
            results.append(persistent_secret(path))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1 and results[0]


def test_an_emptied_secret_file_stops_the_start_instead_of_giving_an_empty_key(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(env, "WRITE_GRACE_SECONDS", 0.05)
    path = tmp_path / "secret_key"
    path.write_text("")
    with pytest.raises(ConfigError, match="empty"):
        persistent_secret(path)


# --- Settings use them ---------------------------------------------------------------------


def _import_settings(tmp_path, **overrides) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    environment.update(ZHENGWEI_VAR_DIR=str(tmp_path), **overrides)
    return subprocess.run(
        [sys.executable, "-c", "import zhengwei.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "sometimes", "DEBUG must be true or false"),
        ("SESSION_IDLE_SECONDS", "half an hour", "SESSION_IDLE_SECONDS must be an integer"),
        ("AUDIT_RETENTION_DAYS", "30", "AUDIT_RETENTION_DAYS must be at least 184"),
        ("DATABASE_URL", "not-a-database", "DATABASE_URL is not a database URL"),
    ],
)
def test_a_bad_setting_stops_the_process_with_a_message_naming_it(
    tmp_path, variable, value, message
):
    result = _import_settings(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ConfigError" in result.stderr
    assert message in result.stderr
