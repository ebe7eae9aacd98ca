"""A deliberately ordinary Django project: the "naive" baseline of `bench/run callback`.

What a developer writes first: the startproject middleware stack, a view that verifies,
decrypts and parses (with the same zhengwei.lib helpers zhengwei uses, so crypto and parsing
cost the same), then one ORM INSERT in its own autocommit transaction per message, on the same
PostgreSQL server zhengwei uses (its own database, NAIVE_DATABASE_URL). Persistent connections
(CONN_MAX_AGE=60) are on: that is the one tuning any deployment guide names.
"""

import os

import dj_database_url

SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "naive",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "naive.urls"
DATABASES = {"default": dj_database_url.parse(os.environ["NAIVE_DATABASE_URL"], conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LOGGING_CONFIG = None
