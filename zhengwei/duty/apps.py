from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "zhengwei.duty"
    label = "duty"
    verbose_name = "值班台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhengwei.console.nav import NavItem, register
        from zhengwei.duty import listeners
        from zhengwei.duty import policy as P
        from zhengwei.reports import policy as R

        listeners.connect()
        group = _("Duty")
        for item in (
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
        ):
            register(item)
