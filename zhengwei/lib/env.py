"""Typed readers for environment variables.

Each helper fails loudly on a malformed value: a typo in production configuration must stop the
process at start-up, not surface as odd behaviour later.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


class ConfigError(RuntimeError):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        value = default
    else:
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for secrets mounted by the deployment)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            value = Path(path).read_text().strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE points to an unreadable file: {exc}") from None
        if not value:
            # An empty mounted secret is a deployment mistake, not a request for a generated one.
            raise ConfigError(f"{name}_FILE points to an empty file: {path}")
        return value
    return os.environ.get(name, default)


# How long a process waits for another one that has just created a secret file to finish writing.
WRITE_GRACE_SECONDS = 2.0


def persistent_secret(path: Path, length: int = 50) -> str:
    """Return the secret stored at path, generating it on first use (never committed: var/ is ignored)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: of two processes starting together exactly one creates the file; the other
        # reads what the first wrote (see _read_secret).
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(length))
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    # The file may exist but still be empty for an instant while its creator writes it.
    deadline = time.monotonic() + WRITE_GRACE_SECONDS
    while True:
        try:
            value = path.read_text().strip()
        except OSError as exc:
            raise ConfigError(f"secret file {path} is unreadable: {exc}") from None
        if value:
            return value
        if time.monotonic() >= deadline:
            raise ConfigError(f"secret file {path} is empty: delete it to generate a new one")
        time.sleep(0.02)
