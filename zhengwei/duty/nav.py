"""Console navigation entries of this app (collected by ``zhengwei.console.nav``)."""

from django.utils.translation import gettext_lazy as _

from zhengwei.duty import policy as P
from zhengwei.lib.nav import NavItem
from zhengwei.reports import policy as R

group = _("Duty")

ITEMS = (
    NavItem(
        group,
        _("Duty console"),
        "duty:console",
        P.DUTY_CONSOLE,
        _("New reports and messages as they arrive, with sound and alerts"),
        "⚠",
        10,
    ),
    NavItem(
        group,
        _("Report map"),
        "duty:map",
        R.REPORTS_VIEW,
        _("Where the reports are, clustered, with filters and photos"),
        "⌖",
        11,
    ),
    NavItem(
        group,
        _("Response dashboard"),
        "duty:metrics",
        R.REPORTS_METRICS,
        _("Acknowledgement and handling times, 响应率 / 解决率 / 满意率, trends"),
        "↗",
        12,
    ),
    NavItem(
        group,
        _("Emergency mode history"),
        "duty:emergency_history",
        R.REPORTS_EMERGENCY_VIEW,
        _("When emergency mode was on, who switched it and why, with the deadlines that applied"),
        "‼",
        13,
    ),
)
