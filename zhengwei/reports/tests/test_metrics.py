from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from zhengwei.reports import services
from zhengwei.reports.selectors import report_metrics
from zhengwei.reports.tests.helpers import citizen, receive

pytestmark = pytest.mark.django_db

T0 = "2026-07-28 10:00:00+08:00"


def _scenario(world):
    """Six reports over one morning, each handled at known minutes."""
    duty, officer = world["duty_officer"], world["unit_officer"]
    made = {}
    base = datetime.fromisoformat(T0)
    with freeze_time(T0) as clock:

        def at(minutes):
            clock.move_to(base + timedelta(minutes=minutes))

        # A: acked after 2 min, dispatched 5, contacted 20, resolved 60, closed, rated 5.
        at(0)
        a = made["a"] = receive(world, actor=citizen("o-a"), phone="13800000001", lat=26.0)
        at(2)
        services.report_ack(actor=duty, report=a)  # noqa: E702
        at(5)
        services.report_triage(actor=duty, report=a, priority="P1")  # noqa: E702
        services.report_dispatch(actor=duty, report=a, unit=world.unit)
        at(10)
        services.report_sign(actor=officer, report=a)  # noqa: E702
        at(20)
        services.report_contact(actor=officer, report=a)  # noqa: E702
        at(60)
        services.report_resolve(actor=officer, report=a)  # noqa: E702
        services.report_close(actor=duty, report=a)
        services.report_rate(actor=citizen("o-a"), report=a, rating=5)
        # B: acked after 10 min, resolved by the office at 30, rated 2.
        at(1)
        b = made["b"] = receive(world, actor=citizen("o-b"), phone="13800000002", lat=26.1)
        at(11)
        services.report_triage(actor=duty, report=b, priority="P2")  # noqa: E702
        at(31)
        services.report_resolve(actor=duty, report=b)  # noqa: E702
        services.report_rate(actor=citizen("o-b"), report=b, rating=2)
        # C: resolved at 40, not rated.
        at(2)
        c = made["c"] = receive(world, actor=citizen("o-c"), phone="13800000003", lat=26.2)
        at(6)
        services.report_triage(actor=duty, report=c, priority="P2")  # noqa: E702
        at(40)
        services.report_resolve(actor=duty, report=c)  # noqa: E702
        # D: a duplicate of A; E: rejected as false; F: a phone-in still open.
        at(3)
        d = made["d"] = receive(world, actor=citizen("o-d"), phone="13800000004", lat=26.0)
        at(4)
        services.report_mark_duplicate(actor=duty, report=d, parent=a)  # noqa: E702
        e = made["e"] = receive(world, actor=citizen("o-e"), phone="13800000005", lat=26.3)
        services.report_reject(actor=duty, report=e, reason="虚假")
        made["f"] = receive(
            world, actor=duty, channel="phone", phone="13800000006", lat=26.4, hazard="landslide"
        )
        at(120)
    return made


def _metrics(world, now_minutes=120):
    start = datetime.fromisoformat("2026-07-28 00:00:00+08:00")
    end = start + timedelta(days=1)
    with freeze_time(T0) as clock:
        clock.tick(timedelta(minutes=now_minutes))
        return report_metrics(world.account, start, end)


def test_duplicates_referred_and_rejected_are_excluded_and_shown_separately(world):
    _scenario(world)
    m = _metrics(world)
    assert m["counts"]["received"] == 6
    assert m["counts"]["considered"] == 4
    assert m["counts"]["excluded"] == {"duplicate": 1, "referred": 0, "rejected": 1}
    assert m["resolution_rate"] == {"resolved": 3, "considered": 4, "rate": 0.75}
    assert m["duplicate_rate"]["rate"] == round(1 / 6, 4)


def test_the_headline_is_the_time_to_first_acknowledgement_on_citizen_reports(world):
    _scenario(world)
    m = _metrics(world)
    first = m["time_to_first_ack"]
    # A 2 min, B 10, C 4, D 1 (merged), E 0 (rejected at once); F is a phone-in: not counted.
    assert first["n"] == 5
    assert first["median_s"] == 120.0
    assert first["p90_s"] == 600.0
    assert m["time_to_auto_ack"] == {"n": 5, "median_s": 0.0, "p90_s": 0.0}


def test_stage_times_use_only_the_reports_that_count(world):
    _scenario(world)
    m = _metrics(world)
    assert m["time_to_dispatch"] == {"n": 1, "median_s": 300.0, "p90_s": 300.0}
    assert m["time_to_contact"]["median_s"] == 1200.0
    assert m["time_to_resolve"]["n"] == 3
    assert m["time_to_resolve"]["median_s"] == (40 - 2) * 60.0


def test_satisfaction_excludes_unrated_reports_and_gives_coverage(world):
    _scenario(world)
    s = _metrics(world)["satisfaction_rate"]
    assert s == {"satisfied": 1, "rated": 2, "rate": 0.5, "coverage": round(2 / 3, 4)}


def test_deadline_compliance_counts_pending_apart(world):
    _scenario(world)
    d = _metrics(world)["deadline_compliance"]
    assert d == {"met": 3, "missed": 0, "pending": 1, "rate": 1.0}
    late = _metrics(world, now_minutes=60 * 30)["deadline_compliance"]
    assert late["missed"] == 1 and late["pending"] == 0  # the phone-in passed its 24 h


def test_overdue_now_and_reopen_rate(world):
    made = _scenario(world)
    assert _metrics(world)["overdue_now"]["count"] == 0
    assert _metrics(world, now_minutes=60 * 30)["overdue_now"]["count"] == 1
    with freeze_time(T0) as clock:
        clock.tick(timedelta(hours=3))
        services.report_citizen_reject_closure(actor=citizen("o-c"), report=made["c"])
    assert _metrics(world, now_minutes=200)["reopen_rate"]["reopened"] == 1


def test_the_share_seen_first_by_the_office(world, client_for):
    made = _scenario(world)
    client_for(world["duty_officer"]).get(reverse("reports:detail", args=[made["a"].ticket]))
    seen = _metrics(world)["seen_first_by_office"]
    assert seen["office"] == 1 and seen["seen"] == 1 and seen["rate"] == 1.0
    assert seen["unseen"] == 5


def test_the_response_rate_counts_contact_within_the_deadline(world):
    _scenario(world)
    r = _metrics(world)["response_rate"]
    assert r == {"responded_in_time": 1, "due": 1, "rate": 1.0}


def test_metrics_json_is_permission_checked(world, client_for):
    _scenario(world)
    url = reverse("reports:metrics_json") + "?start=2026-07-28&end=2026-07-29"
    response = client_for(world["duty_leader"]).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["counts"]["received"] == 6 and data["notes"]
    # The contractor's manager sees aggregates (no personal data in them).
    assert client_for(world["project_manager"]).get(url).status_code == 200
    assert client_for(world["editor"]).get(url).status_code == 403
    foreign = f"{url}&account={world.account.pk}"
    assert client_for(world.outsider).get(foreign).status_code == 403
    assert client_for(world.outsider).get(url).json()["counts"]["received"] == 0  # their own
    assert (
        client_for(world["duty_leader"])
        .get(reverse("reports:metrics_json") + "?start=never")
        .status_code
        == 400
    )
