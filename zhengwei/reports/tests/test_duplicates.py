from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from zhengwei.reports import services
from zhengwei.reports.models import State, StepKind
from zhengwei.reports.tests.helpers import LAT, citizen, receive

pytestmark = pytest.mark.django_db

# About 110 m north of the first report.
NEAR = LAT + 0.001


def test_a_report_near_another_of_the_same_hazard_is_suggested_as_its_duplicate(world, events):
    first = receive(world, actor=citizen("o-a"), hazard="people_trapped", phone="13800000001")
    second = receive(
        world, actor=citizen("o-b"), hazard="people_trapped", lat=NEAR, phone="13800000002"
    )
    assert list(second.suggested_duplicates.all()) == [first]
    assert events.named("report.received")[-1]["suggested_duplicate_ids"] == [first.pk]


def test_far_away_or_a_different_hazard_is_not_suggested(world):
    receive(world, actor=citizen("o-a"), hazard="people_trapped", phone="13800000001")
    far = receive(
        world, actor=citizen("o-b"), hazard="people_trapped", lat=LAT + 0.05, phone="13800000002"
    )
    other = receive(
        world, actor=citizen("o-c"), hazard="road_damage", lat=NEAR, phone="13800000003"
    )
    assert not far.suggested_duplicates.exists()
    assert not other.suggested_duplicates.exists()


def test_the_same_reporter_again_within_the_window_is_suggested(world):
    with freeze_time("2026-07-28 10:00:00+08:00") as clock:
        first = receive(world, actor=citizen("o-same"), hazard="waterlogging")
        clock.tick(timedelta(hours=2))
        again = receive(world, actor=citizen("o-same"), hazard="landslide", lat=LAT + 0.2)
        clock.tick(timedelta(days=3))
        later = receive(world, actor=citizen("o-same"), hazard="landslide", lat=LAT + 0.2)
    assert first in again.suggested_duplicates.all()
    assert first not in later.suggested_duplicates.all()


def test_merging_notifies_every_reporter(world, events):
    parent = receive(world, actor=citizen("o-a"), hazard="people_trapped", phone="13800000001")
    dups = [
        receive(
            world,
            actor=citizen(f"o-{i}"),
            hazard="people_trapped",
            lat=NEAR,
            phone=f"1380000001{i}",
        )
        for i in range(3)
    ]
    services.report_merge(actor=world["duty_officer"], parent=parent, duplicates=dups)
    merged = events.named("report.merged")[-1]
    assert merged["parent_id"] == parent.pk
    assert set(merged["notify_report_ids"]) == {parent.pk, *(d.pk for d in dups)}
    for dup in dups:
        dup.refresh_from_db()
        assert dup.state == State.DUPLICATE
        assert dup.duplicate_of == parent
        # What the reporter is told (the office's template for a duplicate names their ticket).
        note = dup.steps.get(kind=StepKind.DUPLICATE).public_note
        assert dup.ticket in note
    assert parent.steps.get(kind=StepKind.MERGE).public_note
    # Every public note is a step the messaging layer sends: one per reporter.
    noted = {e["report_id"] for e in events.named("report.step_added") if e["has_public_note"]}
    assert {parent.pk, *(d.pk for d in dups)} <= noted


def test_a_duplicate_of_a_duplicate_joins_the_original(world):
    a = receive(world, actor=citizen("o-a"), phone="13800000001")
    b = receive(world, actor=citizen("o-b"), lat=NEAR, phone="13800000002")
    c = receive(world, actor=citizen("o-c"), lat=NEAR, phone="13800000003")
    services.report_mark_duplicate(actor=world["duty_officer"], report=b, parent=a)
    services.report_mark_duplicate(actor=world["duty_officer"], report=c, parent=b)
    c.refresh_from_db()
    assert c.duplicate_of == a


def test_merging_a_parent_moves_its_duplicates_along(world, events):
    a = receive(world, actor=citizen("o-a"), phone="13800000001")
    b = receive(world, actor=citizen("o-b"), lat=NEAR, phone="13800000002")
    c = receive(world, actor=citizen("o-c"), lat=NEAR, phone="13800000003")
    services.report_mark_duplicate(actor=world["duty_officer"], report=c, parent=b)
    services.report_mark_duplicate(actor=world["duty_officer"], report=b, parent=a)
    c.refresh_from_db()
    assert c.duplicate_of == a
    assert c.pk in events.named("report.merged")[-1]["notify_report_ids"]


def test_a_report_is_not_its_own_duplicate(world):
    a = receive(world)
    with pytest.raises(ValidationError):
        services.report_mark_duplicate(actor=world["duty_officer"], report=a, parent=a)


def test_duplicates_are_merged_from_the_detail_page(world, client_for):
    from django.urls import reverse

    parent = receive(world, actor=citizen("o-a"), phone="13800000001")
    dup = receive(world, actor=citizen("o-b"), lat=NEAR, phone="13800000002")
    client = client_for(world["duty_officer"])
    page = client.get(reverse("reports:detail", args=[dup.ticket])).content.decode()
    assert parent.ticket in page
    client.post(reverse("reports:act", args=[dup.ticket, "duplicate"]), {"parent": parent.ticket})
    dup.refresh_from_db()
    assert dup.duplicate_of == parent
