"""A favicon, and no audit row for what browsers ask for by themselves (issue #7: an
"http.not_found /favicon.ico" row on every page load)."""

import pytest

from zhengwei.audit.models import AuditEntry


@pytest.mark.django_db
def test_the_favicon_is_served_and_not_audited(world, client_for):
    client = client_for(world["auditor"])
    assert 'rel="icon"' in client.get("/").content.decode()
    assert client.get("/favicon.ico").status_code == 301
    client.get("/robots.txt")
    assert not AuditEntry.objects.filter(action="http.not_found").exists()


@pytest.mark.django_db
def test_a_missing_page_is_still_audited(world, client_for):
    assert client_for(world["auditor"]).get("/no-such-page/").status_code == 404
    assert AuditEntry.objects.filter(action="http.not_found").exists()
