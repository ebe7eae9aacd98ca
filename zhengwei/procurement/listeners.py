"""What procurement hears from the apps above it: a signed monthly performance scorecard becomes
the contract's review of that month, so renewal and the year's grade read the signed scorecards
(performance sits above procurement and tells it by event; procurement never imports it)."""

from __future__ import annotations

from datetime import date

from zhengwei.lib.events import subscribe
from zhengwei.orgs.models import User
from zhengwei.procurement.services.aftercare import review_from_scorecard


def on_scorecard_signed(
    *,
    event,
    scorecard_id,
    period="",
    start="",
    contract_id=None,
    total=None,
    vetoed=False,
    grade="",
    signed_on="",
    signed_by_id=None,
    **_,
):
    if period != "month" or not contract_id or total is None:
        return
    review_from_scorecard(
        actor=User.objects.filter(pk=signed_by_id).first(),
        contract_id=contract_id,
        month=date.fromisoformat(start),
        score=total,
        vetoed=bool(vetoed),
        signed_on=date.fromisoformat(signed_on),
        scorecard_ref=scorecard_id,
        grade=grade,
    )


def connect() -> None:
    subscribe("scorecard.signed", on_scorecard_signed)
