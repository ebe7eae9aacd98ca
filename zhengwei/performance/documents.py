"""The acceptance record (履约验收书) of a signed scorecard as PDF, rendered with WeasyPrint
from an HTML template (Chinese from the system's Noto CJK fonts)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from zhengwei.lib import indicators
from zhengwei.performance.models import Scorecard, ScorecardState


def acceptance_html(scorecard: Scorecard) -> str:
    items = list(scorecard.items.prefetch_related("reviews__actor"))
    return render_to_string(
        "performance/acceptance.html",
        {
            "sc": scorecard,
            "items": items,
            "draft": scorecard.state != ScorecardState.SIGNED,
            "veto_labels": [
                indicators.BY_CODE[c].label if c in indicators.BY_CODE else c
                for c in scorecard.veto_codes
            ],
            "printed_at": timezone.localtime(),
        },
    )


def acceptance_pdf(scorecard: Scorecard) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this page needs.
    from weasyprint import HTML

    return HTML(string=acceptance_html(scorecard)).write_pdf()
