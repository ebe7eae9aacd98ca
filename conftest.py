import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from zhengwei.testing.personas import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """client_for(user) signs the test client in as that person."""

    def _sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _sign_in


# Real-browser fixtures (browser, page) and helpers: see zhengwei/testing/browser.py.
pytest_plugins = ["zhengwei.testing.browser"]
