from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhengwei.reports"
    label = "reports"
    verbose_name = "灾情报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhengwei.console.nav import NavItem, register
        from zhengwei.reports import policy as P

        group = _("Disaster reports")
        for item in (
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
        ):
            register(item)
