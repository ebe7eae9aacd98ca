"""The peer of `bench/run live`: zhengwei's own settings with no cache at all, so the live page is
queried and rendered on every request (an uncached render of the same view)."""

from zhengwei.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
