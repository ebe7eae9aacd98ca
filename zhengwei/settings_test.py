"""The test suite's small override of settings.py (same database choice, faster and hermetic)."""

from zhengwei.settings import *  # noqa: F403
from zhengwei.settings import STORAGES

# Hashing with Argon2 on every factory user would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "wechat", "notify"],
    }
}
# No test may reach the internet: an unconfigured WeChat call fails fast on a closed port.
WECHAT_API_BASE = "http://127.0.0.1:9/unreachable"
LANGUAGE_CODE = "zh-hans"
# The personas have no authenticator: tests that check level 3 turn it on themselves.
SECURITY_LEVEL = 2
SECURITY_OTP_ROLES = []
PROCUREMENT_OCID_PREFIX = "ocds-zw0tst"

# One SQLite test database per test process, so concurrent runs (xdist workers, two checkouts)
# never share a file; PostgreSQL names are made unique by pytest-django's xdist suffix.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_tempfile.gettempdir(), f"zhengwei-test-{_os.getpid()}.sqlite3")
    }

# Callbacks spooled during a simulated outage go to a directory of this test process, never var/.
import os as _os2  # noqa: E402
import tempfile as _tempfile2  # noqa: E402

WECHAT_SPOOL_DIR = _os2.environ.get("WECHAT_SPOOL_DIR") or _os2.path.join(
    _tempfile2.gettempdir(), f"zhengwei-test-spool-{_os2.getpid()}"
)

# The notification stand-in writes its outbox under the temporary directory, never into var/.
import tempfile as _tmp  # noqa: E402

NOTIFY_OUTBOX_DIR = _tmp.mkdtemp(prefix="zhengwei-notify-")
