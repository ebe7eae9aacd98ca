from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "zhengwei.duty"
    label = "duty"
    verbose_name = "值班台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.duty import (
            listeners,
            policy,  # noqa: F401  (registers its actions)
        )

        listeners.connect()
