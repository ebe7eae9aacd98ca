"""Auditors search the audit log by time, actor, action, object, outcome and text."""

import pytest
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.audit.tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world, record):
    admin, duty = world["system_admin"], world["duty_officer"]
    return {
        "grant": record(
            at=local(2026, 7, 1, 9, 0),
            actor=admin,
            action="role.grant",
            obj=duty,
            after={"account": "gh_x", "role": "duty_officer"},
        ),
        "update": record(
            at=local(2026, 7, 2, 10, 0),
            actor=admin,
            action="organisation.update",
            obj=world.unit,
            before={"short_name": "旧"},
            after={"short_name": "新"},
            note="改名 round-2",
        ),
        "failed": record(
            at=local(2026, 7, 3, 11, 0),
            action="auth.sign_in_failed",
            actor_name="mallory",
            object_type="auth",
            outcome="denied",
        ),
    }


def _search(client, **params):
    """The result table alone (the search form suggests every action that occurs)."""
    html = client.get(reverse("audit:list"), params).content.decode()
    if 'data-testid="audit-entries"' not in html:
        return html.split("<datalist")[0] + html.split("</datalist>")[-1]
    return (
        html.split('data-testid="audit-entries"')[1].split("</table>")[0]
        + html.split("</table>")[-1]
    )


def test_the_auditor_may_read_the_log(world, client_for, entries):
    response = client_for(world["auditor"]).get(reverse("audit:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "role.grant" in html and "organisation.update" in html


@pytest.mark.parametrize(
    # 三员分立: the system and security administrators' own actions are in the log.
    "who",
    [
        "system_admin",
        "security_admin",
        "editor",
        "duty_officer",
        "office_leader",
        "project_manager",
    ],
)
def test_everyone_else_is_refused(world, client_for, who):
    assert client_for(world[who]).get(reverse("audit:list")).status_code == 403


def test_an_entry_detail_shows_before_and_after(world, client_for, entries):
    entry = entries["update"]
    html = client_for(world["auditor"]).get(reverse("audit:detail", args=[entry.pk])).content
    html = html.decode()
    assert "旧" in html and "新" in html


def test_the_table_shows_changes_compactly(world, client_for, entries):
    html = _search(client_for(world["auditor"]), action="organisation.update")
    # The field by its verbose name, not its code (issue #7).
    assert "简称" in html and "short_name" not in html
    assert "旧" in html and "→" in html and "新" in html


def test_it_searches_by_time_range(world, client_for, entries):
    html = _search(client_for(world["auditor"]), start="2026-07-02T00:00", end="2026-07-02T23:59")
    assert "organisation.update" in html
    assert "role.grant" not in html and "auth.sign_in_failed" not in html


def test_a_reversed_time_range_is_explained(world, client_for, entries):
    html = _search(client_for(world["auditor"]), start="2026-07-03T00:00", end="2026-07-01T00:00")
    assert "时间范围的结束早于开始" in html


def test_it_searches_by_actor(world, client_for, entries):
    html = _search(client_for(world["auditor"]), actor="mallory")
    assert "auth.sign_in_failed" in html
    assert "role.grant" not in html


def test_it_searches_by_action_prefix(world, client_for, entries):
    html = _search(client_for(world["auditor"]), action="role.")
    assert "role.grant" in html
    assert "organisation.update" not in html


def test_it_searches_by_object(world, client_for, entries):
    html = _search(
        client_for(world["auditor"]), object_type="orgs.organisation", object_id=str(world.unit.pk)
    )
    assert "organisation.update" in html
    assert "role.grant" not in html


def test_it_searches_by_outcome(world, client_for, entries):
    html = _search(client_for(world["auditor"]), outcome="denied")
    assert "auth.sign_in_failed" in html
    assert "organisation.update" not in html


def test_it_searches_free_text(world, client_for, entries):
    html = _search(client_for(world["auditor"]), q="round-2")
    assert "organisation.update" in html
    assert "role.grant" not in html


def test_it_paginates(world, client_for, record):
    for i in range(60):
        record(action=f"bulk.event{i:02d}", actor_name="bulk")
    client = client_for(world["auditor"])
    first = _search(client, actor="bulk")
    second = _search(client, actor="bulk", page=2)
    assert "bulk.event59" in first and "bulk.event00" not in first
    assert "bulk.event00" in second
    assert "page=2" in first


def test_an_empty_result_says_so(world, client_for, entries):
    html = _search(client_for(world["auditor"]), actor="nobody-at-all")
    assert 'data-testid="empty"' in html


def test_an_auditor_of_another_office_does_not_see_this_offices_entries(world, client_for, entries):
    html = _search(client_for(world.outsider))
    assert "role.grant" not in html
    assert "organisation.update" not in html
    response = client_for(world.outsider).get(reverse("audit:detail", args=[entries["grant"].pk]))
    assert response.status_code == 404


def test_the_pages_change_nothing(world, client_for, entries):
    client = client_for(world["auditor"])
    count = AuditEntry.objects.count()
    assert client.post(reverse("audit:list")).status_code == 405
    assert client.post(reverse("audit:detail", args=[entries["grant"].pk])).status_code == 405
    assert AuditEntry.objects.count() == count
