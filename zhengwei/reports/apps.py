from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhengwei.reports"
    label = "reports"
    verbose_name = "灾情报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.reports import policy  # noqa: F401  (registers its actions)
        from zhengwei.reports.services.emergency import emergency_reason
        from zhengwei.wechat.inbound.changes import emergency_source

        emergency_source(emergency_reason)
