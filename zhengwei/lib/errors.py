"""Turning a service's refusal into what a page shows."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a ValidationError, field by field in order, without the field names."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)
