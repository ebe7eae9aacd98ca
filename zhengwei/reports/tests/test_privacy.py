import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from zhengwei.access.policy import ACTION_ROLES, PERSONAL_DATA_ACTIONS, may
from zhengwei.audit.models import AuditEntry
from zhengwei.reports import links, phones, services
from zhengwei.reports import policy as P
from zhengwei.reports.tests.helpers import dispatched, jpeg, receive

pytestmark = pytest.mark.django_db

PHONE = "13812341234"
CONTRACTOR = ["editor", "project_manager", "writer", "operator"]


@pytest.fixture
def report(world):
    return receive(world, phone=PHONE, name="王大妈", photos=[jpeg(exif_gps=True)])


def test_the_phone_is_masked_like_138_stars_1234():
    assert phones.mask("13812341234") == "138****1234"
    assert phones.mask("059122000000") == "059*****0000"


def test_the_phone_is_stored_sealed_not_in_clear(world, report):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reports_report WHERE id = %s", [report.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert PHONE not in row and "王大妈" not in row
    assert report.reporter_phone == PHONE
    assert report.reporter_phone_masked == "138****1234"


def test_officers_see_the_masked_phone_everywhere(world, report, client_for):
    client = client_for(world["duty_officer"])
    listing = client.get(reverse("reports:list")).content.decode()
    detail = client.get(reverse("reports:detail", args=[report.ticket])).content.decode()
    assert PHONE not in listing and PHONE not in detail
    assert "138****1234" in detail


def test_revealing_the_full_number_is_audited_every_time(world, report, client_for, events):
    client = client_for(world["duty_officer"])
    for _ in range(2):
        response = client.post(reverse("reports:reveal_phone", args=[report.ticket]))
        assert PHONE in response.content.decode()
    reveals = AuditEntry.objects.filter(action="report.phone_reveal", actor=world["duty_officer"])
    assert reveals.count() == 2
    assert all(PHONE not in (e.note + str(e.after) + e.object_repr) for e in reveals)
    assert events.named("report.phone_revealed")[-1]["user_id"] == world["duty_officer"].pk


def test_roles_without_personal_data_permission_cannot_reveal(world, report, client_for):
    with pytest.raises(PermissionDenied):
        services.report_reveal_phone(actor=world["auditor"], report=report)
    assert AuditEntry.objects.filter(action="report.phone_reveal", outcome="denied").exists()
    response = client_for(world["auditor"]).post(
        reverse("reports:reveal_phone", args=[report.ticket])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", CONTRACTOR)
def test_contractor_members_never_see_reports_phones_locations_or_photos(
    world, report, client_for, role
):
    client = client_for(world[role])
    photo = report.photos.get()
    for url in [
        reverse("reports:list"),
        reverse("reports:detail", args=[report.ticket]),
        reverse("reports:export", args=["csv"]),
        reverse("reports:export", args=["geojson"]),
        reverse("reports:initial_report"),
        reverse("reports:photo", args=[photo.pk, "display"]),
        reverse("reports:photo", args=[photo.pk, "original"]),
    ]:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        body = response.content.decode(errors="ignore")
        assert PHONE not in body and "王大妈" not in body
    assert client.post(reverse("reports:reveal_phone", args=[report.ticket])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.report_reveal_phone(actor=world[role], report=report)


@pytest.mark.parametrize("role", CONTRACTOR)
def test_contractor_members_get_only_de_identified_counts(world, report, client_for, role):
    response = client_for(world[role]).get(reverse("reports:counts"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "内涝" in body  # the hazard count is there
    for secret in (PHONE, "138****1234", "王大妈", "路口积水", str(report.lat), report.ticket):
        assert secret not in body


def test_no_contractor_role_passes_any_personal_data_action(world):
    for action in PERSONAL_DATA_ACTIONS:
        for role in CONTRACTOR:
            assert not may(world[role], action, world.account), (role, action)


def test_every_report_action_that_shows_a_report_is_marked_personal_data():
    for action in ACTION_ROLES:
        if action.startswith("reports.") and action not in {
            P.REPORTS_COUNTS,
            P.REPORTS_METRICS,
            P.REPORTS_ROUTING,
            P.REPORTS_API_KEYS,
            P.REPORTS_EMERGENCY,
            P.REPORTS_EMERGENCY_VIEW,  # periods and staff names, no report
        }:
            assert action in PERSONAL_DATA_ACTIONS, action


def test_a_unit_officer_sees_only_the_reports_of_their_unit(world, client_for):
    ours = dispatched(world, phone="13800000001")
    other = receive(world, phone="13800000002")
    client = client_for(world["unit_officer"])
    listing = client.get(reverse("reports:list")).content.decode()
    assert ours.ticket in listing and other.ticket not in listing
    assert client.get(reverse("reports:detail", args=[other.ticket])).status_code == 404
    assert client.get(reverse("reports:detail", args=[ours.ticket])).status_code == 200


def test_the_office_of_another_account_sees_nothing(world, report, client_for):
    client = client_for(world.outsider)
    assert client.get(reverse("reports:detail", args=[report.ticket])).status_code in (403, 404)
    assert report.ticket not in client.get(reverse("reports:list")).content.decode()


def test_the_public_status_page_carries_no_personal_data(world, report, client):
    body = client.get(links.status_path(report.ticket)).content.decode()
    assert report.ticket in body
    for secret in (PHONE, "138****1234", "王大妈", "路口积水", f"{report.lat}", "photo"):
        assert secret not in body


def test_opening_a_report_records_who_saw_it_first(world, report, client_for):
    client_for(world["duty_officer"]).get(reverse("reports:detail", args=[report.ticket]))
    client_for(world["duty_leader"]).get(reverse("reports:detail", args=[report.ticket]))
    report.refresh_from_db()
    assert report.first_seen_by == world["duty_officer"]
    assert report.views.count() == 2
    assert AuditEntry.objects.filter(action="report.view", object_id=str(report.pk)).count() == 2
