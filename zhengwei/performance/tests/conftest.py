from datetime import date
from decimal import Decimal as D

import pytest

from zhengwei.performance.scoring import AT_LEAST, AT_MOST, MUST_HOLD, Level
from zhengwei.performance.services.scorecards import Levels


@pytest.fixture
def table():
    """A small service-level table (what procurement's contract would give): 100 points."""
    return Levels(
        contract_id=None,
        contract_label="测试运营合同",
        levels=[
            Level("days_since_last_post", D(20), D(13), AT_MOST, veto=True, deduction_percent=D(5)),
            Level("volume_vs_plan", D(20), D(100), AT_LEAST, deduction_percent=D(2)),
            Level("original_ratio", D(20), D(50), AT_LEAST),
            Level("msg_first_response_time", D(20), D(8), AT_MOST, deduction_percent=D(2)),
            Level("interaction_channel_ok", D(10), D(1), MUST_HOLD, veto=True),
            Level("follower_net_growth", D(10), D(100), AT_LEAST),
        ],
    )


@pytest.fixture
def november():
    return date(2026, 11, 1), date(2026, 12, 1)
