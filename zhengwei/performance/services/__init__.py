"""Performance services: records that feed the indicators, the veto watch, and scorecards."""

from zhengwei.performance.services.monthly import month_figures_mark_stale, month_figures_store
from zhengwei.performance.services.records import (
    incident_record,
    menu_probe_run,
    publication_record,
    registry_filing_record,
    reprint_mark_done,
    reprint_request_record,
)
from zhengwei.performance.services.scorecards import (
    levels_for,
    period_bounds,
    scorecard_compute,
    scorecard_item_adjust,
    scorecard_item_confirm,
    scorecard_item_dispute,
    scorecard_item_respond,
    scorecard_sign,
)
from zhengwei.performance.services.veto import veto_watch

__all__ = [
    "incident_record",
    "levels_for",
    "menu_probe_run",
    "month_figures_mark_stale",
    "month_figures_store",
    "period_bounds",
    "publication_record",
    "registry_filing_record",
    "reprint_mark_done",
    "reprint_request_record",
    "scorecard_compute",
    "scorecard_item_adjust",
    "scorecard_item_confirm",
    "scorecard_item_dispute",
    "scorecard_item_respond",
    "scorecard_sign",
    "veto_watch",
]
