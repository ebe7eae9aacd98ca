"""The console's navigation: each app registers its entries with the action that unlocks them."""

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


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(i.url_name != item.url_name for i in _items):
        _items.append(item)
        _items.sort(key=lambda i: (i.order, str(i.label)))


def items_for(user) -> list[NavItem]:
    from zhengwei.access.policy import may

    return [i for i in _items if may(user, i.action)]
