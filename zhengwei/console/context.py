from __future__ import annotations

from itertools import groupby

from zhengwei.console import nav


def console(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from zhengwei.access.policy import roles_summary

    items = nav.items_for(user)
    groups = [(g, list(its)) for g, its in groupby(items, key=lambda i: str(i.group))]
    return {"nav_groups": groups, "nav_items": items, "my_roles": roles_summary(user)}
