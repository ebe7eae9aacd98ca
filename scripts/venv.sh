# Sourced by ./run and ./test: make .venv match requirements.lock (only when the lock changed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null; then
  echo "zhengwei needs Python 3.11 or newer (found: $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "» creating virtual environment in .venv"
  "$PY" -m venv "$VENV"
fi
LOCK_HASH="$(sha256sum "$ROOT/requirements.lock" | cut -d' ' -f1)"
if [ "$(cat "$VENV/.lock-hash" 2>/dev/null)" != "$LOCK_HASH" ]; then
  echo "» installing dependencies from requirements.lock"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.lock"
  echo "$LOCK_HASH" > "$VENV/.lock-hash"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
