"""The duty roster week: who is on which post, added and removed by duty leaders and administrators."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengwei.audit.models import AuditEntry
from zhengwei.orgs.models import DutyShift
from zhengwei.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 7, 6)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def shift(world):
    return DutyShift.objects.create(
        organisation=world.office,
        user=world["duty_officer"],
        post="A",
        starts_at=_at(MONDAY + timedelta(days=2), 8),
        ends_at=_at(MONDAY + timedelta(days=3), 8),
    )


def _form(world, **overrides):
    data = {
        "organisation": world.office.pk,
        "user": world["duty_officer"].pk,
        "post": "B",
        "starts_at": "2026-07-08T08:00",
        "ends_at": "2026-07-09T08:00",
        "note": "汛期加强",
    }
    data.update(overrides)
    return data


def test_the_week_shows_each_shift_under_its_organisation_and_day(world, client_for, shift):
    response = client_for(world["duty_officer"]).get(
        reverse("console:roster"), {"week": "2026-07-08"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-07-06" in html  # the week starts on Monday
    assert world["duty_officer"].display_name in html
    assert world.unit.name in html
    assert html.count('data-testid="shift"') == 1


def test_the_week_links_to_the_previous_and_next_weeks(world, client_for):
    html = (
        client_for(world["duty_officer"])
        .get(reverse("console:roster"), {"week": "2026-07-08"})
        .content.decode()
    )
    assert "week=2026-06-29" in html
    assert "week=2026-07-13" in html


def test_other_weeks_do_not_show_the_shift(world, client_for, shift):
    response = client_for(world["duty_officer"]).get(
        reverse("console:roster"), {"week": "2026-07-13"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-07-13" in html  # the week asked for is the one shown
    assert 'data-testid="shift"' not in html


def test_a_duty_officer_sees_no_controls_to_change_the_roster(world, client_for, shift):
    response = client_for(world["duty_officer"]).get(
        reverse("console:roster"), {"week": "2026-07-06"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="shift"') == 1  # the roster itself is shown
    assert reverse("console:shift_delete", args=[shift.pk]) not in html
    assert 'data-testid="new-shift"' not in html


def test_a_duty_leader_adds_a_shift_and_it_is_audited(world, client_for):
    response = client_for(world["duty_leader"]).post(reverse("console:shift_create"), _form(world))
    assert response.status_code == 302
    assert "week=2026-07-06" in response["Location"]
    added = DutyShift.objects.get(organisation=world.office, post="B")
    assert added.user == world["duty_officer"]
    entry = AuditEntry.objects.get(action="roster.add", object_id=str(added.pk))
    assert entry.actor == world["duty_leader"]
    assert entry.before is None
    assert entry.after["user_id"] == world["duty_officer"].pk
    assert entry.after["post"] == "B"


def test_a_shift_that_overlaps_the_same_post_is_refused(world, client_for, shift):
    response = client_for(world["duty_leader"]).post(
        reverse("console:shift_create"), _form(world, post="A")
    )
    assert response.status_code == 200
    assert "A 岗在该时段已有人值班" in response.content.decode()


def test_a_shift_must_end_after_it_starts(world, client_for):
    response = client_for(world["duty_leader"]).post(
        reverse("console:shift_create"), _form(world, ends_at="2026-07-08T07:00")
    )
    assert "班次的结束时间必须晚于开始时间" in response.content.decode()
    assert not DutyShift.objects.exists()


def test_only_members_of_the_organisation_can_be_on_its_roster(world, client_for):
    response = client_for(world["duty_leader"]).post(
        reverse("console:shift_create"), _form(world, user=world["unit_officer"].pk)
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()  # the form comes back with the error
    assert not DutyShift.objects.exists()


def test_the_person_choices_follow_the_organisation_by_htmx(world, client_for):
    member = UserFactory(display_name="县里的人", organisation=world.unit)
    response = client_for(world["duty_leader"]).get(
        reverse("console:shift_people"),
        {"organisation": world.unit.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert member.display_name in html
    assert world["duty_officer"].display_name not in html
    assert "is-invalid" not in html


def test_removing_a_shift_is_audited(world, client_for, shift):
    response = client_for(world["system_admin"]).post(
        reverse("console:shift_delete", args=[shift.pk])
    )
    assert response.status_code == 302
    assert not DutyShift.objects.filter(pk=shift.pk).exists()
    entry = AuditEntry.objects.get(action="roster.remove", object_id=str(shift.pk))
    assert entry.before["user_id"] == world["duty_officer"].pk
    assert entry.after is None


def test_a_duty_officer_cannot_remove_a_shift(world, client_for, shift):
    response = client_for(world["duty_officer"]).post(
        reverse("console:shift_delete", args=[shift.pk])
    )
    assert response.status_code == 403
    assert DutyShift.objects.filter(pk=shift.pk).exists()


def test_another_offices_administrator_cannot_remove_a_shift(world, client_for, shift):
    response = client_for(world.outsider).post(reverse("console:shift_delete", args=[shift.pk]))
    assert response.status_code == 403


def test_a_duty_leader_cannot_add_shifts_to_another_offices_roster(world, client_for):
    response = client_for(world["duty_leader"]).post(
        reverse("console:shift_create"),
        _form(world, organisation=world.outsider.organisation.pk, user=world.outsider.pk),
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()  # the form comes back with the error
    assert not DutyShift.objects.exists()
