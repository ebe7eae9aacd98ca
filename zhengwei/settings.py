"""Settings for zhengwei. Every value comes from the environment; README.md lists each variable."""

from __future__ import annotations

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

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHENGWEI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
# Encrypts WeChat AppSecrets at rest; kept apart from SECRET_KEY so rotating one leaves the other.
FIELD_ENCRYPTION_KEY = env_secret("FIELD_ENCRYPTION_KEY") or persistent_secret(
    VAR_DIR / "field_key"
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
    "django_tasks",
    "django_tasks_db",
    "zhengwei.orgs",
    "zhengwei.access",
    "zhengwei.audit",
    "zhengwei.console",
    "zhengwei.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
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
# Lock on the username alone: the same message whether the account exists or not.
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not per IP: an office sits behind one NAT address, and one mistyping colleague must not lock
# out everyone. Per-username lock-out still stops guessing any one account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhengwei.access.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)

OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "zhengwei 政微")

# --- Security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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

# --- Audit -------------------------------------------------------------------------------
# 网络安全法 第二十一条: network logs are kept for no less than six months.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)

# --- WeChat ------------------------------------------------------------------------------
# The real platform is the default; ./run points this at the local simulator.
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/")
WECHAT_HTTP_TIMEOUT = env_int("WECHAT_HTTP_TIMEOUT", 10, minimum=1)
WECHAT_TOKEN_MODE = env_str("WECHAT_TOKEN_MODE", "stable")
if WECHAT_TOKEN_MODE not in {"stable", "classic"}:
    raise ConfigError("WECHAT_TOKEN_MODE must be 'stable' or 'classic'")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

try:  # An optional local override, never committed.
    from zhengwei.local_settings import *  # noqa: F401,F403
except ImportError:
    pass
