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


def pytest_collection_modifyitems(config, items):
    """Give every transactional test serialized rollback.

    A transactional test empties the database when it ends. Without serialized rollback Django
    then re-creates content types with new ids (post_migrate), and the next test that restores
    the serialized contents (content types, the seeded role rules) collides with them. With it on
    everywhere, each transactional test starts from the migrated database, in any order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        item.add_marker(
            pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
            append=False,
        )
