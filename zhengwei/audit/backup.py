"""Consistent backups of the database and the uploaded files, and their restore.

A backup is a directory:

    database.sqlite3 | database.pgdump   the database (SQLite backup API / pg_dump -Fc)
    media/…                              a copy of MEDIA_ROOT
    manifest.json                        SHA-256 and size of every file above, row counts per
                                         table, the engine and the time

Consistency: the SQLite online backup API copies a single transactionally consistent snapshot
while the site keeps running; pg_dump reads in one REPEATABLE READ snapshot. Files are copied
after the database, so every photo the dumped rows name is there (a photo uploaded during the
backup may be copied without its row, which is harmless).

Keys are not in the backup (FIELD_ENCRYPTION_KEY, AUDIT_CHAIN_KEY, SECRET_KEY): they are kept
apart by design (docs/deploy.md), and a restore needs the same key files.

Written by hand because django-dbbackup, the usual library, has no SQLite backup-API mode (it
copies the file, which is not consistent under WAL), no checksum manifest and no empty-target check.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, router

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables(alias: str = "default") -> list[str]:
    """The platform's tables in ``alias`` (the simulator's own database is not part of it)."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            if router.db_for_write(model) in (None, alias):
                names.add(model._meta.db_table)
    existing = set(connections[alias].introspection.table_names())
    return sorted(names & existing)


def row_counts(alias: str = "default") -> dict[str, int]:
    qn = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        counts = {}
        for table in _tables(alias):
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608 - names from the registry
            counts[table] = cursor.fetchone()[0]
    return counts


def _dump_database(target: Path) -> Path:
    conn = connections["default"]
    if conn.vendor == "sqlite":
        out = target / "database.sqlite3"
        conn.ensure_connection()
        dest = sqlite3.connect(out)
        try:
            conn.connection.backup(dest)
        finally:
            dest.close()
        return out
    if conn.vendor == "postgresql":
        out = target / "database.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}"], conn.settings_dict)
        return out
    raise BackupError(f"no backup method for {conn.vendor}")


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str], db: dict) -> None:
    done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _copy_media(source: Path, target: Path, progress: Callable[[str], None]) -> None:
    if not source.exists():
        return
    files = [p for p in source.rglob("*") if p.is_file()]
    for n, path in enumerate(files, 1):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        if n % 200 == 0 or n == len(files):
            progress(f"files {n}/{len(files)}")


def backup_create(destination: Path, *, progress: Callable[[str], None] = lambda _m: None) -> Path:
    """Write a backup directory under ``destination``; return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(destination) / f"zhengwei-backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    progress("database")
    counts = row_counts()
    _dump_database(target)
    _copy_media(Path(settings.MEDIA_ROOT), target / "media", progress)
    progress("checksums")
    files = {
        str(p.relative_to(target)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "format": 1,
        "created_at": datetime.now(UTC).isoformat(),
        "engine": connections["default"].vendor,
        "row_counts": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return target


def backup_verify(source: Path) -> dict:
    """The manifest, after checking every file against it; BackupError names the first mismatch."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest in {source}: {exc}") from None
    for name, meta in manifest["files"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"missing file: {name}")
        if _sha256(path) != meta["sha256"]:
            raise BackupError(f"checksum mismatch: {name}")
    listed = set(manifest["files"])
    extra = [
        str(p.relative_to(source))
        for p in source.rglob("*")
        if p.is_file() and p.name != MANIFEST and str(p.relative_to(source)) not in listed
    ]
    if extra:
        raise BackupError(f"file not in the manifest: {extra[0]}")
    return manifest


def installation_is_empty() -> bool:
    """No rows in any platform table (migrations may have run) and no uploaded file."""
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        return False
    # Migrations write nothing a person made except the seeded role rules.
    seeded = {"orgs_rolerule", "django_migrations", "django_content_type", "auth_permission"}
    counts = row_counts()
    return not any(n for table, n in counts.items() if table not in seeded)


def restore_database(source: Path, manifest: dict) -> None:
    conn = connections["default"]
    if manifest["engine"] != conn.vendor:
        raise BackupError(
            f"the backup is of {manifest['engine']}, this installation uses {conn.vendor}"
        )
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        src = sqlite3.connect(source / "database.sqlite3")
        try:
            # The backup API overwrites every page of the live database in one step.
            src.backup(conn.connection)
        finally:
            src.close()
        return
    db = conn.settings_dict
    conn.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={db['NAME']}",
            str(source / "database.pgdump"),
        ],
        db,
    )


def restore_media(source: Path, progress: Callable[[str], None] = lambda _m: None) -> None:
    _copy_media(Path(source) / "media", Path(settings.MEDIA_ROOT), progress)


def compare(manifest: dict) -> list[str]:
    """Tables whose restored row count differs from the backup's (empty: all equal)."""
    now = row_counts()
    return [
        f"{table}: {expected} in the backup, {now.get(table)} restored"
        for table, expected in manifest["row_counts"].items()
        if now.get(table) != expected
    ]


def media_hashes(root: Path) -> dict[str, str]:
    root = Path(root)
    return {str(p.relative_to(root)): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}
