"""The console's navigation: collected from every installed app's ``nav.ITEMS``.

Apps declare their pages in their own ``nav.py`` (``zhengwei.lib.nav.NavItem``); the console
imports those modules here, so no app imports the console and the arrows run downward.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from zhengwei.access.policy import accounts_of, may
from zhengwei.lib.nav import NavItem
from zhengwei.orgs.models import WeChatAccount

__all__ = ["NavItem", "all_items", "items_for"]


@cache
def all_items() -> tuple[NavItem, ...]:
    found: dict[str, NavItem] = {}
    for config in apps.get_app_configs():
        if config.name.startswith("zhengwei.") and module_has_submodule(config.module, "nav"):
            for item in import_module(f"{config.name}.nav").ITEMS:
                found.setdefault(item.url_name, item)
    return tuple(sorted(found.values(), key=lambda i: (i.order, str(i.label))))


# Pages that work without a WeChat account (the installation's people, organisations, trail).
INSTALLATION_PAGES = {"console", "audit", "notify", "access"}


def items_for(user) -> list[NavItem]:
    """The pages ``user`` may open. A superuser passes every non-personal action without a role,
    but the account-scoped pages have nothing to show before an account exists (they answered
    403 from the fresh installation's home page): offered only once one does."""
    items = [i for i in all_items() if may(user, i.action)]
    if getattr(user, "is_superuser", False) and not accounts_of(user):
        if not WeChatAccount.objects.filter(is_active=True).exists():
            items = [i for i in items if i.url_name.split(":")[0] in INSTALLATION_PAGES]
    return items
