"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.access.policy import Action
from zhengwei.lib.nav import NavItem
from zhengwei.notify.policy import NOTIFY_DELIVERIES

group = _("Notifications")

ITEMS = (
    NavItem(
        group,
        _("My notifications"),
        "notify:list",
        Action.CONSOLE_VIEW,
        _("Escalations and other alerts addressed to you"),
        "✉",
        5,
    ),
    NavItem(
        group,
        _("Delivery log"),
        "notify:deliveries",
        NOTIFY_DELIVERIES,
        _("Every SMS / 政务微信 / e-mail alert sent, with its outcome"),
        "☰",
        6,
    ),
)
