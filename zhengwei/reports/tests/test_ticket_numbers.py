import re
import threading

import pytest
from django.db import connection, transaction
from freezegun import freeze_time

from zhengwei.reports.models import Report
from zhengwei.reports.tests.helpers import receive
from zhengwei.reports.tickets import next_ticket


@pytest.mark.django_db
def test_tickets_read_like_fj_date_and_a_daily_sequence(world):
    with freeze_time("2026-11-26 09:00:00+08:00") as clock:
        first, second = receive(world), receive(world, phone="13800000002")
        clock.tick(24 * 3600)
        next_day = receive(world, phone="13800000003")
    assert (first.ticket, second.ticket) == ("FJ20261126-0001", "FJ20261126-0002")
    assert next_day.ticket == "FJ20261127-0001"


@pytest.mark.django_db
def test_the_day_is_the_local_day_in_fujian(world):
    with freeze_time("2026-11-25 17:30:00+00:00"):  # 01:30 on the 26th in Fuzhou
        assert receive(world).ticket.startswith("FJ20261126-")


@pytest.mark.django_db
def test_the_prefix_is_configurable(world, settings):
    settings.REPORT_TICKET_PREFIX = "MH"
    assert re.match(r"^MH\d{8}-0001$", receive(world).ticket)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ticket_is_drawn_only_inside_the_reports_transaction():
    with pytest.raises(RuntimeError):
        next_ticket()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_never_get_the_same_number():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("needs a database file shared by connections")
    tickets: list[str] = []
    errors: list[BaseException] = []

    def draw():
        from django.db import connections

        try:
            for _ in range(5):
                with transaction.atomic():
                    tickets.append(next_ticket())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(tickets) == 20 and len(set(tickets)) == 20
    assert not Report.objects.exists()
