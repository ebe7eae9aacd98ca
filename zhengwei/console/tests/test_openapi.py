"""docs/openapi.yaml describes every JSON API, and no generated request gets a 5xx (issue #9).

The project has no Django REST framework, so the description is kept by hand; these tests keep it
honest against the URL configuration. ``faults/schemathesis`` runs the long fuzz against a server.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import URLResolver, get_resolver, resolve
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from zhengwei.wsgi import application

SPEC = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
SAMPLES = {"service_code": "waterlogging", "service_request_id": "FJ20261126-0001"}
# What answers JSON: JsonResponse, Open311's renderer, the OCDS packages.
_JSON = re.compile(r"JsonResponse\(|_ocds_response\(")


def _paths() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))["paths"]


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLES.get(m.group(1), "x1"), path)


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            for route, name, callback in _patterns(p.url_patterns, prefix + str(p.pattern)):
                yield route, (ns + name) if name else "", callback
        else:
            yield prefix + str(p.pattern), p.name or "", p.callback


def _json_views() -> dict[str, str]:
    found = {}
    for route, name, callback in _patterns(get_resolver().url_patterns):
        view = inspect.unwrap(callback)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if view.__module__ == "zhengwei.reports.open311" or _JSON.search(source):
            found[name] = route
    return found


def test_every_described_path_is_served_by_a_view():
    for path in _paths():
        match = resolve(_concrete(path))
        assert match.view_name, path


def test_every_view_that_answers_json_is_described():
    described = {resolve(_concrete(path)).view_name for path in _paths()}
    json_views = _json_views()
    assert "reports:open311_requests" in json_views and "procurement:ocds_releases" in json_views
    missing = {name: route for name, route in json_views.items() if name not in described}
    assert not missing, f"add these JSON endpoints to docs/openapi.yaml: {missing}"


# The public endpoints (the console's JSON only redirects without a session); faults/schemathesis
# covers every operation with many more examples.
schema = schemathesis.openapi.from_path(SPEC).include(path_regex=r"^/(open311|ocds|flood|h5)/")


@pytest.fixture
def keep_connection():
    # The WSGI handler closes the database connection after each request; the test's
    # transaction lives on it (Django's test client disconnects the same signal).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_no_generated_request_gets_a_server_error(case, world, keep_connection):
    response = case.call(app=application, headers={"Host": "localhost"})
    assert response.status_code < 500, case.as_curl_command()
