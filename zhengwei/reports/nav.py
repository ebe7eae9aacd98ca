"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.lib.nav import NavItem
from zhengwei.reports import policy as P

group = _("Disaster reports")

ITEMS = (
    NavItem(
        group,
        _("Reports"),
        "reports:list",
        P.REPORTS_VIEW,
        _("Citizens' disaster reports: triage, dispatch, follow up"),
        "⚑",
        100,
    ),
    NavItem(
        group,
        _("Phone-in report"),
        "reports:phone_in",
        P.REPORTS_CREATE,
        _("Enter a report received by phone or from a unit"),
        "☎",
        101,
    ),
    NavItem(
        group,
        _("Initial disaster report"),
        "reports:initial_report",
        P.REPORTS_EXPORT,
        _("Per-county summary for the 2-hour 初报"),
        "☷",
        102,
    ),
    NavItem(
        group,
        _("Report counts"),
        "reports:counts",
        P.REPORTS_COUNTS,
        _("De-identified counts by hazard, city and day"),
        "▥",
        103,
    ),
    NavItem(
        group,
        _("Routing rules"),
        "reports:routing",
        P.REPORTS_ROUTING,
        _("Which unit receives which county's reports"),
        "⇶",
        104,
    ),
)
