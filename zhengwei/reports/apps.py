from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhengwei.reports"
    label = "reports"
    verbose_name = "灾情报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.lib import retention
        from zhengwei.reports import policy  # noqa: F401  (registers its actions)
        from zhengwei.reports.services.emergency import emergency_reason
        from zhengwei.reports.services.retention import (
            reports_coarsen_locations,
            reports_forget_openids,
        )
        from zhengwei.wechat.inbound.changes import emergency_source

        emergency_source(emergency_reason)

        retention.register(
            "exact_locations", _("Exact locations of closed reports"), reports_coarsen_locations
        )
        retention.register(
            "reporter_openids", _("Reporters' openids on closed reports"), reports_forget_openids
        )
