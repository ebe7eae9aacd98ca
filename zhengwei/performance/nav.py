"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.lib.nav import NavItem
from zhengwei.performance import policy as P

group = _("Performance")

ITEMS = (
    NavItem(
        group,
        _("Indicators and veto watch"),
        "performance:overview",
        P.PERFORMANCE_VIEW,
        _("Every account's indicators this month, ranked; warnings before a veto"),
        "◎",
        300,
    ),
    NavItem(
        group,
        _("Performance dashboard"),
        "performance:dashboard",
        P.PERFORMANCE_VIEW,
        _("Month-by-month trends; accounts and operation models side by side"),
        "▤",
        300,
    ),
    NavItem(
        group,
        _("Before and after a model change"),
        "performance:model_change",
        P.PERFORMANCE_VIEW,
        _("An account's indicators before and after its operation model changed"),
        "⇄",
        300,
    ),
    NavItem(
        group,
        _("Scorecards"),
        "performance:scorecards",
        P.PERFORMANCE_VIEW,
        _("Monthly, quarterly and yearly scorecards; review and sign-off"),
        "✓",
        301,
    ),
    NavItem(
        group,
        _("Incidents"),
        "performance:incidents",
        P.INCIDENT_RECORD,
        _("Record a serious error, leak or prohibited content (a veto event)"),
        "⚠",
        302,
    ),
    NavItem(
        group,
        _("Filing and reprints"),
        "performance:records",
        P.INCIDENT_RECORD,
        _("The account's registry filing; articles a superior designated for reprinting"),
        "☰",
        303,
    ),
)
