from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "zhengwei.performance"
    label = "performance"
    verbose_name = "绩效考核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.performance import listeners, policy  # noqa: F401  (registers its actions)

        listeners.connect()
