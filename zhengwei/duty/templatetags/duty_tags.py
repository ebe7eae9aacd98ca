"""How long ago, in one unit ("5 小时前", never "1 日，5 小时前": a glance, not a sum)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    if not value:
        return ""
    now = timezone.now()
    if (now - value).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, now, depth=1)}
