"""`manage.py check --deploy` passes with the production settings described in docs/deploy.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "zhengwei.settings",
    "HTTPS": "true",
    "DEBUG": "false",
    "SECRET_KEY": "k7Qm2pZ8vR4xN1wE6tY9uI3oP5aS0dF7gH2jK4lZ8xC6vB1nM3qW9eR5tY7uI0oP",
    "FIELD_ENCRYPTION_KEY": "d1F9gH3jK5lZ7xC2vB4nM6qW8eR0tY1uI3oP5aS7dF9gH2jK4",
    "ALLOWED_HOSTS": "fx.example.gov.cn",
    "PROXY_COUNT": "1",
}


def check_deploy(tmp_path, **overrides) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_", "SECURE_", "SECRET_KEY", "FIELD_ENCRYPTION"))
        and k not in {"DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DEBUG", "HTTPS"}
    }
    environment.update(PRODUCTION)
    environment.update(ZHENGWEI_VAR_DIR=str(tmp_path), **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = check_deploy(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_the_deploy_check_also_passes_on_postgresql_with_redis(tmp_path):
    result = check_deploy(
        tmp_path,
        DATABASE_URL="postgres://zhengwei:secret@db.internal:5432/zhengwei",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_passes_when_the_domain_owner_turns_on_hsts_preload(tmp_path):
    result = check_deploy(tmp_path, SECURE_HSTS_PRELOAD="true")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_https(tmp_path):
    # Proves the check above is not vacuous: plain HTTP is not a production configuration.
    result = check_deploy(tmp_path, HTTPS="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr or "security.W008" in result.stdout
