"""``|masked``, ``|pseudonym`` and ``|masked_name``: personal data in templates (a builtin library,
no ``{% load %}`` needed; see zhengwei.lib.privacy for the rule).

``{{ text|masked }}`` always masks; ``{{ text|masked:lens }}`` masks unless the viewer revealed
it (an audited ``Lens`` from ``zhengwei.access.privacy``). ``{{ openid|pseudonym:lens }}`` or
``{{ openid|pseudonym:account_id }}`` shows the per-account pseudonym instead of the openid.
"""

from __future__ import annotations

from django import template

from zhengwei.lib.privacy import Lens, mask_name, mask_text
from zhengwei.lib.privacy import pseudonym as _pseudonym

register = template.Library()


@register.filter
def masked(text, lens=None):
    if isinstance(lens, Lens):
        return lens.text(text)
    return mask_text(text if text is None else str(text))


@register.filter
def masked_name(name, lens=None):
    if isinstance(lens, Lens):
        return lens.name(name)
    return mask_name(str(name or ""))


@register.filter
def pseudonym(openid, arg=None):
    if isinstance(arg, Lens):
        return arg.openid(openid)
    try:
        account_id = int(arg) if arg not in (None, "") else None
    except (TypeError, ValueError):
        account_id = None
    return _pseudonym(openid, account_id=account_id)
