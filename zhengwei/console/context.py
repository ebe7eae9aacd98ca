from __future__ import annotations

from django.conf import settings

from zhengwei.access.policy import roles_summary
from zhengwei.console import navigation as nav
from zhengwei.notify import selectors as notify


def console(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    items = nav.items_for(user)
    # Apps register into shared groups (值班, 公众号 …) with their own orders: gather each group's
    # items under its first appearance, so a group never shows twice in the sidebar.
    groups: dict[str, list[nav.NavItem]] = {}
    for item in items:
        groups.setdefault(str(item.group), []).append(item)
    # One highlighted item: the section whose address is the longest prefix of this page's
    # (/duty/map/ is 灾情地图, not also 值班台 at /duty/).
    path = request.path
    under = [i.url for i in items if i.url and i.url != "/" and path.startswith(i.url)]
    return {
        "nav_active": max(under, key=len) if under else "",
        "nav_groups": list(groups.items()),
        "nav_items": items,
        "my_roles": roles_summary(user),
        # The header's badge and the urgent banner (notify.js keeps them current).
        "notify_unread": notify.unread_count(user=user),
        "notify_banner": notify.banner(user=user),
        "notify_latest": notify.latest_id(user=user),
        "notify_poll_ms": settings.NOTIFY_POLL_MS,
    }
