from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from zhengwei.audit.services import audit_record

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def record():
    """record(at=datetime, **fields): an audit entry written at that moment."""

    def _record(at: datetime | None = None, **fields):
        fields.setdefault("action", "test.event")
        if at is None:
            return audit_record(**fields)
        with freeze_time(at):
            return audit_record(**fields)

    return _record


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)
