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
            reports_oldest_location,
            reports_oldest_openid,
            reports_oldest_photo,
            reports_purge_photos,
        )
        from zhengwei.wechat.inbound.changes import emergency_source

        emergency_source(emergency_reason)

        retention.register(
            "exact_locations",
            _("Exact locations of closed reports"),
            reports_coarsen_locations,
            oldest=reports_oldest_location,
        )
        retention.register(
            "reporter_openids",
            _("Reporters' openids on closed reports"),
            reports_forget_openids,
            oldest=reports_oldest_openid,
        )
        retention.register(
            "report_photos",
            _("Photos of closed reports"),
            reports_purge_photos,
            oldest=reports_oldest_photo,
        )
