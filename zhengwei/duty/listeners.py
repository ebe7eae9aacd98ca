"""What appears on open consoles: every report step and every conversation change."""

from __future__ import annotations

from zhengwei.duty import services
from zhengwei.interactions.services import CONVERSATION_EVENTS
from zhengwei.lib.events import subscribe


def on_report(*, event: str, report_id: int, account_id: int, **payload) -> None:
    services.change_record(account_id=account_id, kind="report", object_id=report_id, verb=event)


def on_conversation(*, event: str, conversation_id: int, account_id: int, **payload) -> None:
    services.change_record(
        account_id=account_id, kind="conversation", object_id=conversation_id, verb=event
    )


def connect() -> None:
    # Every report service writes at least one step; the view record of reports has none, and
    # the console does not show who else has opened a report.
    subscribe("report.step_added", on_report)
    for name in CONVERSATION_EVENTS:
        subscribe(name, on_conversation)
