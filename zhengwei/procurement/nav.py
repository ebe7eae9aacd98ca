"""Console navigation entries of this app (collected by ``zhengwei.console.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.lib.nav import NavItem
from zhengwei.procurement import policy as P

group = _("Procurement and contract")

ITEMS = (
    NavItem(
        group,
        _("Purchases"),
        "procurement:list",
        P.PROCUREMENT_VIEW,
        _("Buying the operation service step by step: contract, acceptance, renewal"),
        "¥",
        300,
    ),
    NavItem(
        group,
        _("My evaluations"),
        "procurement:evaluations",
        P.PROCUREMENT_EVALUATE,
        _("Declare conflicts of interest and score the bids of the purchases you evaluate"),
        "✎",
        301,
    ),
    NavItem(
        group,
        _("Suppliers"),
        "procurement:suppliers",
        P.PROCUREMENT_RECORDS,
        _("Suppliers, their licences and evidence files"),
        "▤",
        302,
    ),
    NavItem(
        group,
        _("Thresholds"),
        "procurement:thresholds",
        P.PROCUREMENT_RECORDS,
        _("Dated procurement thresholds and the centralised catalogue"),
        "⚖",
        303,
    ),
)
