from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "zhengwei.procurement"
    label = "procurement"
    verbose_name = "采购与合同"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: it loads models, which need the app registry.
        from zhengwei.procurement import listeners, policy  # noqa: F401  (registers its actions)

        listeners.connect()
