"""Settings for zhengwei. Every value comes from the environment; README.md lists each variable."""

from __future__ import annotations

import base64 as _b64
import json as _json_keys
import os
import re
from pathlib import Path

import dj_database_url

from zhengwei.lib.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    persistent_secret,
)
from zhengwei.lib.fieldcrypt import FieldCryptError, KeyRing, derive_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHENGWEI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
# Encrypts WeChat AppSecrets at rest; kept apart from SECRET_KEY so rotating one leaves the other.
FIELD_ENCRYPTION_KEY = env_secret("FIELD_ENCRYPTION_KEY") or persistent_secret(
    VAR_DIR / "field_key"
)
# Field-level encryption of citizens' personal data (lib/fieldcrypt.py): the cipher for new
# values, the key ring (JSON {"id": "base64 key of 32 bytes"}, outside the database) and the key
# new values use. Without FIELD_KEYS one key ("0") is derived from FIELD_ENCRYPTION_KEY.
FIELD_CIPHER = env_str("FIELD_CIPHER", "aes-gcm")
_field_keys = env_secret("FIELD_KEYS")
try:
    FIELD_KEYS = (
        {str(k): _b64.b64decode(v) for k, v in _json_keys.loads(_field_keys).items()}
        if _field_keys
        else {"0": derive_key(FIELD_ENCRYPTION_KEY, "field-key-0")}
    )
except (ValueError, AttributeError, TypeError) as _exc:
    raise ConfigError(f"FIELD_KEYS must be JSON {{id: base64 key}} ({_exc})") from None
FIELD_KEY_ACTIVE = env_str("FIELD_KEY_ACTIVE", max(FIELD_KEYS, key=lambda k: (len(k), k)))
try:
    KeyRing(FIELD_KEYS, FIELD_KEY_ACTIVE, FIELD_CIPHER)
except FieldCryptError as _exc:
    raise ConfigError(f"field encryption: {_exc}") from None
# Keys the blind indexes (HMAC-SHA256) that stand in for encrypted identifiers (openids) in
# look-ups, joins and unique constraints. Outside the database like FIELD_KEYS, and not rotated
# with them: changing it means recomputing every index (docs/guide/security.md).
FIELD_INDEX_KEY = env_secret("FIELD_INDEX_KEY").encode() or derive_key(
    FIELD_ENCRYPTION_KEY, "blind-index"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Before django_tasks_db: its db_worker command is overridden there (survives the database).
    "zhengwei.scheduler",
    "django_tasks",
    "django_tasks_db",
    "zhengwei.orgs",
    "zhengwei.access",
    "zhengwei.audit",
    "zhengwei.console",
    "zhengwei.demo",
    "zhengwei.notify",
    "zhengwei.reports",
    "zhengwei.wechat.inbound",
    "zhengwei.wechat.outbound",
    "zhengwei.simulator",
    "zhengwei.duty",
    # Before interactions: its passive chat answers are asked first (zhengwei/hydro/chat.py).
    "zhengwei.hydro",
    "zhengwei.interactions",
    "zhengwei.newsroom",
    "zhengwei.procurement",
    "zhengwei.performance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP with a per-request nonce, Permissions-Policy, no-store on dynamic pages.
    "zhengwei.lib.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The office language by default, whatever the browser asks; a person's own choice (their
    # profile once signed in, the language switch before) overrides it. After authentication.
    "zhengwei.lib.locale.OfficeLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Level 3: the roles of SECURITY_OTP_ROLES reach the console only with a second factor.
    "zhengwei.access.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhengwei.audit.middleware.RequestContextMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengwei.urls"
WSGI_APPLICATION = "zhengwei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhengwei" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhengwei.console.context.console",
            ],
            # |masked, |masked_name, |pseudonym everywhere (citizens' personal data, #7).
            "builtins": ["zhengwei.access.templatetags.privacy"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'zhengwei.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _DEFAULT_DB) or _DEFAULT_DB
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL is not a database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web and worker processes read while one writes; IMMEDIATE takes the write
    # lock at BEGIN so concurrent writers queue on busy_timeout instead of failing mid-transaction.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test.sqlite3")
else:
    # A connection that died with a database restart is noticed at the next request instead of
    # failing it; a database that does not answer fails a connect in seconds, not minutes.
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5, minimum=1)
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis down = cache misses, not errors (zhengwei/lib/cache.py); short timeouts so a dead
    # Redis costs a request milliseconds, not seconds.
    CACHES = {
        "default": {
            "BACKEND": "zhengwei.lib.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # The database cache is shared by every process, unlike the local-memory default.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "zhengwei_cache",
        }
    }

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "wechat", "notify"],
    }
}

# --- Authentication and sessions ---------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "zhengwei.access.validators.CharacterClassValidator"},
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "access:login"

SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Re-saving on every request turns the cookie age into an idle timeout.
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
# Per user name *and* address, so a stranger cannot lock a colleague out from elsewhere, and
# colleagues behind the office's one NAT address are not locked by one mistyping neighbour (the
# pair includes the name); a slower ceiling per name over every address stops spread-out guessing
# (zhengwei/access/lockout.py). The same answer whether the account exists or not.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "zhengwei.access.lockout.LockoutHandler"
LOGIN_FAILURE_LIMIT_PER_NAME = env_int("LOGIN_FAILURE_LIMIT_PER_NAME", 30, minimum=1)
SILENCED_SYSTEM_CHECKS: list[str] = []
AXES_RESET_ON_SUCCESS = True
# The lock lasts the announced 15 minutes; a retry while locked does not restart the clock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "zhengwei.access.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)

OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "zhengwei 政微")

# --- Security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (zhengwei/lib/headers.py): nonce-based, no inline handlers or eval.
CSP_ENABLED = env_bool("CSP_ENABLED", True)
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
CSRF_FAILURE_VIEW = "zhengwei.console.views.csrf_failure"
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every site of the registrable domain for months; that is the domain
        # owner's decision (SECURE_HSTS_PRELOAD=true), so `check --deploy` need not warn about it.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "zhengwei" / "locale"]

# --- Static and uploaded files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "zhengwei" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

# --- Security level (等保 2.0 grading of this installation; docs/guide/security.md) ----------
# 3 (三级) turns on the level-3 controls below by default; a level-2 office sets 2 and keeps
# whichever controls it wants by their own settings.
SECURITY_LEVEL = env_int("SECURITY_LEVEL", 3, minimum=2)
if SECURITY_LEVEL not in (2, 3):
    raise ConfigError("SECURITY_LEVEL must be 2 or 3")
# Roles that must sign in with two factors (GB/T 22239 8.1.4.1 d): at level 3 the office's
# administrators and auditors by default, at level 2 nobody is forced.
SECURITY_OTP_ROLES = env_list(
    "SECURITY_OTP_ROLES",
    ["system_admin", "security_admin", "auditor"] if SECURITY_LEVEL >= 3 else [],
)

# --- Retention of personal data per class (lib/retention.py; docs/guide/security.md) ------
# Days after which `purge_personal_data` (daily) deletes or anonymises each class; JSON in
# RETENTION_DAYS overrides single classes, e.g. {"message_texts": 90}.
RETENTION_DAYS: dict[str, int] = {
    "message_texts": 180,  # the content of citizens' messages to the account
    "exact_locations": 365,  # a closed report's exact position (coarsened to about 1 km)
    "reporter_openids": 365,  # a closed report's link to the reporter's WeChat identity
    "report_photos": 365,  # a closed report's photos (the files and their records)
    "chat_drafts": 30,  # what a citizen sent while reporting in chat, once confirmed or abandoned
    "conversation_texts": 180,  # what citizens wrote in the 互动 inbox, once the case is closed
}
if env_str("RETENTION_DAYS"):
    try:
        RETENTION_DAYS = {
            **RETENTION_DAYS,
            **{str(k): int(v) for k, v in _json_keys.loads(env_str("RETENTION_DAYS")).items()},
        }
    except (ValueError, AttributeError) as _exc:
        raise ConfigError(f"RETENTION_DAYS must be a JSON object of class: days ({_exc})") from None
    if any(days < 1 for days in RETENTION_DAYS.values()):
        raise ConfigError("RETENTION_DAYS: every period is at least 1 day")

# --- Audit -------------------------------------------------------------------------------
# 网络安全法 第二十一条: network logs are kept for no less than six months.
# Six calendar months can be 184 days, so 184 is the floor (and the PostgreSQL trigger's).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 184, minimum=184)
# Keys the audit log's hash chain (lib/hashchain.py); outside the database, so a database owner
# cannot recompute the links after changing a row. Keep it with the backups of the key files.
AUDIT_CHAIN_KEY = env_secret("AUDIT_CHAIN_KEY") or persistent_secret(VAR_DIR / "audit_chain_key")

# --- Procurement (zhengwei.procurement; guide in docs/guide/procurement.md) ----------------
# OCDS ocid prefix: "ocds-" and the 6 characters the OCDS registry assigns the publisher. The
# default marks data as not registered; ./run uses ocds-zw0dev, the tests ocds-zw0tst.
PROCUREMENT_OCID_PREFIX = env_str("PROCUREMENT_OCID_PREFIX", "ocds-zw0dev")
if not re.fullmatch(r"ocds-[a-z0-9]{6}", PROCUREMENT_OCID_PREFIX):
    raise ConfigError("PROCUREMENT_OCID_PREFIX must be 'ocds-' and 6 lower-case letters or digits")
# The publisher named in the OCDS packages (/ocds/releases.json, /ocds/records.json).
PROCUREMENT_OCDS_PUBLISHER = env_str("PROCUREMENT_OCDS_PUBLISHER", "福建省防汛抗旱指挥部办公室")
# How many days before a contract ends the buyer is reminded to renew or re-procure.
PROCUREMENT_RENEWAL_NOTICE_DAYS = env_int("PROCUREMENT_RENEWAL_NOTICE_DAYS", 90, minimum=1)

# --- WeChat ------------------------------------------------------------------------------
# The real platform is the default; ./run points this at the local simulator.
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/")
WECHAT_HTTP_TIMEOUT = env_int("WECHAT_HTTP_TIMEOUT", 10, minimum=1)
WECHAT_TOKEN_MODE = env_str("WECHAT_TOKEN_MODE", "stable")
if WECHAT_TOKEN_MODE not in {"stable", "classic"}:
    raise ConfigError("WECHAT_TOKEN_MODE must be 'stable' or 'classic'")

# Inbound callback (zhengwei.wechat.inbound; design in docs/wechat-callback.md).
# Requests whose timestamp is further than this from now are refused (replays); 0 turns it off.
WECHAT_CALLBACK_MAX_AGE = env_int("WECHAT_CALLBACK_MAX_AGE", 300, minimum=0)
WECHAT_CALLBACK_MAX_BYTES = env_int("WECHAT_CALLBACK_MAX_BYTES", 64 * 1024, minimum=1024)
# Per-process caches of account keys and reply rules: how stale another process may be.
WECHAT_ACCOUNT_CACHE_SECONDS = env_int("WECHAT_ACCOUNT_CACHE_SECONDS", 10, minimum=0)
WECHAT_REPLY_CACHE_SECONDS = env_int("WECHAT_REPLY_CACHE_SECONDS", 10, minimum=0)
# Group commit on the lean WSGI path: one writer thread per process commits queued deliveries
# together (at most _MAX per transaction, waiting up to _WAIT_MS for more; 0 = take what is queued).
WECHAT_GROUP_COMMIT = env_bool("WECHAT_GROUP_COMMIT", True)
WECHAT_GROUP_COMMIT_MAX = env_int("WECHAT_GROUP_COMMIT_MAX", 128, minimum=1)
WECHAT_GROUP_COMMIT_WAIT_MS = env_int("WECHAT_GROUP_COMMIT_WAIT_MS", 0, minimum=0)
WECHAT_GROUP_COMMIT_TIMEOUT = env_int("WECHAT_GROUP_COMMIT_TIMEOUT", 3, minimum=1)
# When the database cannot take a callback, keep it in an fsync'ed local file and answer 200;
# it is stored when the database is back (zhengwei/wechat/inbound/spool.py). Bounded in bytes.
WECHAT_SPOOL = env_bool("WECHAT_SPOOL", True)
WECHAT_SPOOL_DIR = env_str("WECHAT_SPOOL_DIR", str(VAR_DIR / "spool" / "wechat"))
WECHAT_SPOOL_MAX_BYTES = env_int("WECHAT_SPOOL_MAX_BYTES", 512 * 1024 * 1024, minimum=0)
# Processing: enqueue the "wechat" drain task after stores (at most once per _KICK_MS per process),
# or set WECHAT_INBOUND_TASKS=false and run `manage.py wechat_worker` instead.
WECHAT_INBOUND_TASKS = env_bool("WECHAT_INBOUND_TASKS", True)
WECHAT_INBOUND_KICK_MS = env_int("WECHAT_INBOUND_KICK_MS", 250, minimum=0)
WECHAT_PROCESS_MAX_ATTEMPTS = env_int("WECHAT_PROCESS_MAX_ATTEMPTS", 3, minimum=1)
WECHAT_PROCESS_RETRY_DELAY = env_int("WECHAT_PROCESS_RETRY_DELAY", 60, minimum=0)
WECHAT_PROCESSING_TIMEOUT = env_int("WECHAT_PROCESSING_TIMEOUT", 300, minimum=10)
# Refused callbacks are logged (CallbackRejection); wechat_sweep keeps that log bounded.
WECHAT_REJECTION_RETENTION_DAYS = env_int("WECHAT_REJECTION_RETENTION_DAYS", 30, minimum=1)
WECHAT_REJECTION_MAX_ROWS = env_int("WECHAT_REJECTION_MAX_ROWS", 100_000, minimum=100)
# Outbound API (zhengwei.wechat.outbound): platform quotas and limits change, so they are
# configuration. A JSON object merged over zhengwei/wechat/outbound/limits.py DEFAULTS, e.g.
# WECHAT_LIMITS='{"customer_service": {"message_quota": 20}}'; checked at start-up.
WECHAT_LIMITS = env_str("WECHAT_LIMITS", "")

# --- Local WeChat simulator (zhengwei.simulator; guide in docs/guide/simulator.md) ----------
# ./run serves it from its own process with ZHENGWEI_ROLE=simulator; elsewhere /sim/ answers 404
# unless SIMULATOR_ENABLED=true. It never changes WECHAT_API_BASE's production default.
ZHENGWEI_ROLE = env_str("ZHENGWEI_ROLE", "web")
SIMULATOR_ENABLED = env_bool("SIMULATOR_ENABLED", ZHENGWEI_ROLE == "simulator")
# Where the simulated WeChat sends callbacks (…/wechat/callback/<original id>/).
SIMULATOR_CALLBACK_BASE = env_str("SIMULATOR_CALLBACK_BASE", "http://127.0.0.1:8000")
# The simulator's own address, for the PicUrl / article / image URLs it hands out.
SIMULATOR_PUBLIC_URL = env_str("ZHENGWEI_SIMULATOR_URL", "")
# JSON object merged over zhengwei/simulator/limits.py DEFAULTS, e.g. '{"mass": {"delay_seconds": 1}}'.
SIMULATOR_LIMITS = env_str("SIMULATOR_LIMITS", "")
# On SQLite the simulated WeChat keeps its state in a file of its own (or SIMULATOR_DATABASE_URL),
# so a platform transaction held across a WeChat call never waits on the simulator's writes.
SIMULATOR_DATABASE_URL = env_str("SIMULATOR_DATABASE_URL", "")
if SIMULATOR_DATABASE_URL or _db["ENGINE"] == "django.db.backends.sqlite3":
    try:
        _sim_db = dj_database_url.parse(
            SIMULATOR_DATABASE_URL or f"sqlite:///{VAR_DIR / 'simulator.sqlite3'}", conn_max_age=0
        )
    except ValueError as exc:
        raise ConfigError(f"SIMULATOR_DATABASE_URL is not a database URL: {exc}") from None
    if _sim_db["ENGINE"] == "django.db.backends.sqlite3":
        import tempfile as _sim_tempfile

        _sim_db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        _sim_db["TEST"] = {
            "NAME": str(
                Path(_sim_tempfile.gettempdir()) / f"zhengwei-sim-test-{os.getpid()}.sqlite3"
            )
        }
    DATABASES["simulator"] = _sim_db
DATABASE_ROUTERS = ["zhengwei.simulator.router.SimulatorRouter"]

# --- Disaster reports (zhengwei.reports; guide in docs/guide/reports.md) -------------------
# Deadline per priority in minutes (接诉即办 tiers): P0 2 h, P1 24 h, P2 7 d, P3 15 d.
REPORT_DEADLINES = {
    "P0": env_int("REPORT_DEADLINE_P0_MINUTES", 120, minimum=1),
    "P1": env_int("REPORT_DEADLINE_P1_MINUTES", 24 * 60, minimum=1),
    "P2": env_int("REPORT_DEADLINE_P2_MINUTES", 7 * 24 * 60, minimum=1),
    "P3": env_int("REPORT_DEADLINE_P3_MINUTES", 15 * 24 * 60, minimum=1),
}
# Acknowledgement deadlines (minutes from receipt): a report nobody on the duty desk has taken up
# by then goes to the duty leader, and after twice the time to the office leader. Emergency mode
# (switched on by a duty or office leader on the duty console) uses the shorter ones.
REPORT_ACK_DEADLINES = {
    "P0": env_int("REPORT_ACK_P0_MINUTES", 2, minimum=1),
    "P1": env_int("REPORT_ACK_P1_MINUTES", 10, minimum=1),
    "P2": env_int("REPORT_ACK_P2_MINUTES", 30, minimum=1),
    "P3": env_int("REPORT_ACK_P3_MINUTES", 60, minimum=1),
}
REPORT_ACK_EMERGENCY_DEADLINES = {
    "P0": env_int("REPORT_ACK_EMERGENCY_P0_MINUTES", 1, minimum=1),
    "P1": env_int("REPORT_ACK_EMERGENCY_P1_MINUTES", 3, minimum=1),
    "P2": env_int("REPORT_ACK_EMERGENCY_P2_MINUTES", 10, minimum=1),
    "P3": env_int("REPORT_ACK_EMERGENCY_P3_MINUTES", 20, minimum=1),
}
REPORT_TICKET_PREFIX = env_str("REPORT_TICKET_PREFIX", "FJ")
# The signed H5 form link sent in chat stays valid this long (seconds).
REPORT_H5_LINK_MAX_AGE = env_int("REPORT_H5_LINK_MAX_AGE", 24 * 3600, minimum=60)
# Submissions per citizen (openid or phone) and per IP address in each window.
REPORT_RATE_WINDOW_SECONDS = env_int("REPORT_RATE_WINDOW_SECONDS", 600, minimum=10)
REPORT_RATE_LIMIT = env_int("REPORT_RATE_LIMIT", 5, minimum=1)
REPORT_RATE_LIMIT_IP = env_int("REPORT_RATE_LIMIT_IP", 60, minimum=1)
REPORT_RATE_LIMIT_API = env_int("REPORT_RATE_LIMIT_API", 600, minimum=1)
REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
REPORT_PHOTO_MAX_COUNT = env_int("REPORT_PHOTO_MAX_COUNT", 9, minimum=1)
REPORT_PHOTO_MAX_PIXELS = env_int("REPORT_PHOTO_MAX_PIXELS", 40_000_000, minimum=10_000)
# All photos of one report together: nine 12-Mpx phone photos fit, nine 6300×6300 PNGs do not.
REPORT_PHOTO_MAX_TOTAL_PIXELS = env_int(
    "REPORT_PHOTO_MAX_TOTAL_PIXELS", 120_000_000, minimum=10_000
)
REPORT_PHOTO_MAX_SIDE = env_int("REPORT_PHOTO_MAX_SIDE", 2560, minimum=64)
# Decode in a child process limited in memory and CPU (zhengwei/lib/photodecode.py).
REPORT_PHOTO_DECODE_ISOLATED = env_bool("REPORT_PHOTO_DECODE_ISOLATED", True)
REPORT_PHOTO_DECODE_MEMORY_MB = env_int("REPORT_PHOTO_DECODE_MEMORY_MB", 1024, minimum=128)
REPORT_PHOTO_DECODE_TIMEOUT = env_int("REPORT_PHOTO_DECODE_TIMEOUT", 30, minimum=1)
REPORT_DUPLICATE_RADIUS_M = env_int("REPORT_DUPLICATE_RADIUS_M", 500, minimum=1)
REPORT_DUPLICATE_WINDOW_HOURS = env_int("REPORT_DUPLICATE_WINDOW_HOURS", 24, minimum=1)
# A phone location less precise than this (metres) is flagged low_accuracy.
REPORT_LOW_ACCURACY_M = env_int("REPORT_LOW_ACCURACY_M", 1000, minimum=1)
# Map tiles for the H5 form and console maps, e.g. 天地图 with your key; empty = offline base map
# (the shipped Fujian county boundaries). MAP_TILE_DATUM: wgs84 (天地图, OSM) or gcj02 (高德).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_DATUM = env_str("MAP_TILE_DATUM", "wgs84")
if MAP_TILE_DATUM not in {"wgs84", "gcj02"}:
    raise ConfigError("MAP_TILE_DATUM must be 'wgs84' or 'gcj02'")

# --- Citizen interaction and the duty console (zhengwei.interactions, zhengwei.duty; guides in
# docs/guide/interactions.md and docs/guide/duty-console.md) ---------------------------------
# The site's address as citizens reach it, for links sent in chat (H5 form, status page).
PUBLIC_URL = env_str("PUBLIC_URL", f"http://localhost:{env_int('PORT', 8000, minimum=1)}")
# A citizen's location, photos, voice and text this close together build one chat report draft.
REPORT_CHAT_WINDOW_MINUTES = env_int("REPORT_CHAT_WINDOW_MINUTES", 30, minimum=1)
# CLICK keys of the 「我报灾情」 menu button that start a draft and answer with instructions.
REPORT_CHAT_MENU_KEYS = env_list("REPORT_CHAT_MENU_KEYS", ["REPORT"])
# A "1".."5" in chat counts as the rating asked for after resolution for this long.
REPORT_RATING_WINDOW_HOURS = env_int("REPORT_RATING_WINDOW_HOURS", 48, minimum=1)
# A reporter's 不满意 (in chat or on the status page) reopens and escalates the report this long
# after it was resolved, whatever came before (a rating included).
REPORT_REOPEN_WINDOW_HOURS = env_int("REPORT_REOPEN_WINDOW_HOURS", 7 * 24, minimum=1)
# First-response and resolution deadlines per inbox class, minutes, as JSON merged over the
# defaults in zhengwei/interactions/conf.py, e.g. '{"complaint": {"first_response": 60}}'.
INTERACTION_DEADLINES = env_str("INTERACTION_DEADLINES", "")
# Who approves what a contractor drafts for the account to say by itself (keyword and menu-click
# replies, the custom menu): the office roles, level by level, per operation model, as JSON merged
# over {"delegated": ["office_reviewer", "office_leader"], "collaborative": ["office_reviewer"],
# "independent": []}; an empty list lets the drafter change them directly.
CONTENT_APPROVAL_CHAIN = env_str("CONTENT_APPROVAL_CHAIN", "")
# How often an open duty console asks for changes (milliseconds).
DUTY_POLL_MS = env_int("DUTY_POLL_MS", 1000, minimum=250)

# --- Newsroom (zhengwei.newsroom; guide in docs/guide/newsroom.md) ----------------------------
# Pushes a week the contract asks for (an emergency raises it to its own target).
NEWSROOM_CADENCE_PER_WEEK = env_int("NEWSROOM_CADENCE_PER_WEEK", 3, minimum=0)
# Hosts an article body may link to without a finding (WeChat shows only its own links).
NEWSROOM_LINK_HOSTS = env_list("NEWSROOM_LINK_HOSTS", ["mp.weixin.qq.com"])

# --- Flood information (zhengwei.hydro; guide in docs/guide/flood.md) -------------------------
# Folder the incremental import (hydro_tick) takes SL 323 CSV and typhoon files from; files it
# has taken in move to done/ below it, files it could not read to failed/. Empty: no inbox.
HYDRO_INBOX = env_str("HYDRO_INBOX", str(VAR_DIR / "hydro-inbox"))
# Where rejected rows are written (one CSV per import, with file, line and reason).
HYDRO_REJECTS_DIR = env_str("HYDRO_REJECTS_DIR", str(VAR_DIR / "hydro-rejects"))
# A font file with Chinese glyphs for the briefing's charts (empty: look for Noto Sans CJK).
HYDRO_FONT = env_str("HYDRO_FONT", "")
# An SL 323 database to pull from (hydro_import --from-db, and hydro_tick when set), as a URL
# (postgres://… or sqlite:///…). Empty: no pull.
HYDRO_SOURCE_DB = env_str("HYDRO_SOURCE_DB", "")

# --- Notifications to staff (zhengwei.notify) ----------------------------------------------
# Urgent notifications (escalations) also go out on these channels, for each person who has an
# address there: sms (User.phone), wecom (政务微信 user id = username), email (User.email).
NOTIFY_CHANNELS = [
    c
    for c in env_list("NOTIFY_CHANNELS", ["sms", "wecom", "email"])
    if c in {"sms", "wecom", "email"}
]
# local: the stand-in (writes each message to NOTIFY_OUTBOX_DIR/outbox.jsonl, sends nothing);
# http: POST JSON to NOTIFY_GATEWAY_URL (SMS / 政务微信 gateway), e-mail via Django's EMAIL_*.
NOTIFY_GATEWAY = env_str("NOTIFY_GATEWAY", "local")
if NOTIFY_GATEWAY not in {"local", "http"}:
    raise ConfigError("NOTIFY_GATEWAY must be local or http")
NOTIFY_GATEWAY_URL = env_str("NOTIFY_GATEWAY_URL", "")
if NOTIFY_GATEWAY == "http" and not NOTIFY_GATEWAY_URL:
    raise ConfigError("NOTIFY_GATEWAY=http needs NOTIFY_GATEWAY_URL")
NOTIFY_GATEWAY_TOKEN = env_secret("NOTIFY_GATEWAY_TOKEN", "")
NOTIFY_GATEWAY_TIMEOUT = env_int("NOTIFY_GATEWAY_TIMEOUT", 10, minimum=1)
NOTIFY_OUTBOX_DIR = env_str("NOTIFY_OUTBOX_DIR", str(VAR_DIR / "notify"))
NOTIFY_SMS_SIGNATURE = env_str("NOTIFY_SMS_SIGNATURE", "政微")
# Retries: after NOTIFY_RETRY_SECONDS, doubling, at most NOTIFY_MAX_ATTEMPTS attempts in all.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60, minimum=1)
NOTIFY_SEND_LEASE_SECONDS = env_int("NOTIFY_SEND_LEASE_SECONDS", 120, minimum=10)
NOTIFY_RETENTION_DAYS = env_int("NOTIFY_RETENTION_DAYS", 180, minimum=1)
# How often an open console asks for new notifications (badge, banner, sound), milliseconds.
NOTIFY_POLL_MS = env_int("NOTIFY_POLL_MS", 5000, minimum=500)

# --- Periodic work --------------------------------------------------------------------------
# Management commands run by `manage.py run_scheduler` (started by ./run), seconds between rounds.
# JSON in SCHEDULED_COMMANDS replaces the table; production may use cron instead (docs/deploy.md).
SCHEDULED_COMMANDS: dict[str, int] = {
    "reports_tick": 60,
    "notify_tick": 30,
    "interactions_tick": 60,
    "wechat_periodic": 300,
    # Replays the callback spool and takes over abandoned inbound processing (reliability).
    "wechat_sweep": 30,
    "prune_audit": 86400,
    "audit_verify": 86400,
    "purge_personal_data": 86400,
    "newsroom_tick": 60,
    "procurement_reminders": 3600,
    "hydro_tick": 300,
    "performance_tick": 3600,
}
if env_str("SCHEDULED_COMMANDS"):
    import json as _json

    try:
        SCHEDULED_COMMANDS = {
            str(k): int(v) for k, v in _json.loads(env_str("SCHEDULED_COMMANDS")).items()
        }
    except (ValueError, AttributeError) as exc:
        raise ConfigError(
            f"SCHEDULED_COMMANDS must be a JSON object of name: seconds ({exc})"
        ) from None

# Performance (绩效考核): an amber warning this many days without a post (the veto is at 14).
PERFORMANCE_AMBER_DAYS = env_int("PERFORMANCE_AMBER_DAYS", 7, minimum=1)

# The console shows LOG_CONSOLE_LEVEL and above; LOG_FILE (if set) keeps everything from LOG_LEVEL.
# ./run starts its workers with WARNING on the console and their INFO in var/log/ (issue #7: the
# banner was buried under the scheduler's and the worker's INFO lines).
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOG_CONSOLE_LEVEL = env_str("LOG_CONSOLE_LEVEL", "DEBUG").upper()
LOG_FILE = env_str("LOG_FILE", "")
_log_handlers = {
    "console": {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "level": LOG_CONSOLE_LEVEL,
    },
}
if LOG_FILE:
    Path(LOG_FILE).parent.mkdir(parents=True, exist_ok=True)
    # Watched: logrotate may move the file; the handler reopens it.
    _log_handlers["file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "formatter": "plain",
        "filename": LOG_FILE,
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": _log_handlers,
    "root": {"handlers": list(_log_handlers), "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # Procurement documents: WeasyPrint and fontTools log every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

try:  # An optional local override, never committed.
    from zhengwei.local_settings import *  # noqa: F401,F403
except ImportError:
    pass
