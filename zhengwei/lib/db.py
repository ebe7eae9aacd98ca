"""Small database helpers every services module uses."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def lock(obj: M) -> M:
    """Lock ``obj``'s row for the rest of the transaction (PostgreSQL; SQLite locks the whole
    database on write anyway) and read its current state into ``obj``."""
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj
