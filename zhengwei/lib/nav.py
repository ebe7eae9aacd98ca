"""Navigation entries that apps declare and the console collects.

Each app lists its console pages as ``ITEMS`` in its own ``nav.py``; the console imports those
modules (``zhengwei.console.nav``), so no app imports the console and the arrows run downward.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    group: str | Promise
    label: str | Promise
    url_name: str
    action: str
    description: str | Promise = ""
    icon: str = "•"
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)
