"""Template helpers of the briefing: numbers that link to their rows, times in Beijing time."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def bj(value, fmt: str = "Y-m-d H:i") -> str:
    """An ISO time (as the briefing's numbers store them) in Beijing time."""
    if not value:
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return date_format(timezone.localtime(when), fmt)


@register.filter
def over(figures, threshold) -> dict:
    return (figures or {}).get(f"rain_over_{threshold}") or {}


@register.simple_tag
def fig(figure: dict, links: bool, rows_url: str):
    """A number of the briefing; on the review page a link to the rows it comes from."""
    if not isinstance(figure, dict):
        return "—"
    value = figure.get("value", "")
    if links and figure.get("rows"):
        return format_html(
            '<a href="{}?{}" class="zw-fig" title="{}" data-testid="fig-{}">{}</a>',
            rows_url,
            figure["rows"],
            figure.get("label", ""),
            figure.get("key", ""),
            value,
        )
    return format_html("<strong>{}</strong>", value)
