"""A backup restores into an empty installation with the same rows and the same files; a damaged
backup or a non-empty installation is refused before anything is touched."""

import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from zhengwei.audit import backup
from zhengwei.audit.models import AuditEntry
from zhengwei.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "private" / "reports" / "1" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 not really a jpeg \xff\xd9" * 100)
    (settings.MEDIA_ROOT / "notes.txt").write_text("防汛")
    return settings.MEDIA_ROOT


@pytest.fixture
def made(world, media, tmp_path):
    audit_record(action="test.before_backup", actor=world["auditor"], note="备份前")
    return backup.backup_create(tmp_path / "backups")


def _restore_elsewhere(made, tmp_path) -> tuple[subprocess.CompletedProcess, dict]:
    """Run ``manage.py restore`` in a new process against a new, empty database and MEDIA_ROOT."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="zhengwei.settings",
        ZHENGWEI_VAR_DIR=str(tmp_path / "var2"),
        MEDIA_ROOT=str(tmp_path / "media2"),
        SECRET_KEY="restore-test",
        AUDIT_CHAIN_KEY=settings.AUDIT_CHAIN_KEY,
        FIELD_ENCRYPTION_KEY=settings.FIELD_ENCRYPTION_KEY,
    )
    target: dict = {"media": tmp_path / "media2"}
    if connection.vendor == "sqlite":
        target["sqlite"] = tmp_path / "restored.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{target['sqlite']}"
    else:
        db = connection.settings_dict
        name = f"zw_restore_{uuid.uuid4().hex[:8]}"
        admin = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        target["pg"] = (admin, name)
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(made)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done, target


def _drop(target):
    if "pg" in target:
        admin, name = target["pg"]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_manifest_lists_every_file_with_its_checksum_and_the_row_counts(made):
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert "media/private/reports/1/photo.jpg" in manifest["files"]
    assert any(name.startswith("database.") for name in manifest["files"])
    assert manifest["row_counts"]["audit_auditentry"] == AuditEntry.objects.count() >= 1
    assert manifest["row_counts"]["orgs_user"] >= 13


def test_a_backup_restores_into_an_empty_installation_with_equal_counts_and_files(
    made, media, tmp_path
):
    manifest = backup.backup_verify(made)
    done, target = _restore_elsewhere(made, tmp_path)
    try:
        assert done.returncode == 0, done.stderr
        assert "counts match" in done.stdout
        # Compare independently of the command: row counts and file hashes.
        if "sqlite" in target:
            import sqlite3

            with sqlite3.connect(target["sqlite"]) as db:
                for table, expected in manifest["row_counts"].items():
                    (count,) = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
                    # The restore's own audit entry is the one row more.
                    assert count == expected + (table == "audit_auditentry"), table
        else:
            admin, name = target["pg"]
            with psycopg.connect(admin.rsplit("/", 1)[0] + "/" + name) as db:
                for table, expected in manifest["row_counts"].items():
                    (count,) = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
                    assert count == expected + (table == "audit_auditentry"), table
        assert backup.media_hashes(target["media"]) == backup.media_hashes(media)
    finally:
        _drop(target)


def test_a_damaged_file_is_refused_before_anything_is_restored(made):
    photo = made / "media" / "private" / "reports" / "1" / "photo.jpg"
    photo.write_bytes(photo.read_bytes() + b"x")
    with pytest.raises(CommandError, match="checksum mismatch: media/private/reports/1/photo.jpg"):
        call_command("restore", str(made), stdout=StringIO())


def test_a_file_slipped_into_the_backup_is_refused(made):
    (made / "media" / "extra.txt").write_text("?")
    with pytest.raises(CommandError, match="not in the manifest"):
        call_command("restore", str(made), stdout=StringIO())


def test_an_installation_that_holds_data_is_not_overwritten(made):
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(made), stdout=StringIO())
    assert AuditEntry.objects.count() == before


def test_the_command_writes_a_backup_and_audits_it(world, media, tmp_path):
    out = StringIO()
    call_command("backup", "--to", str(tmp_path / "b"), stdout=out)
    assert "Backup written to" in out.getvalue()
    entry = AuditEntry.objects.get(action="backup.create")
    assert entry.outcome == "ok"
    assert (Path(entry.note) / "manifest.json").exists()
