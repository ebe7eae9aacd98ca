from django.apps import AppConfig


class HydroConfig(AppConfig):
    name = "zhengwei.hydro"
    label = "hydro"
    verbose_name = "汛情数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(): they load models. Hydro is listed before zhengwei.interactions in
        # INSTALLED_APPS so that its passive chat answers (雨情, 水情, 台风, 预警, a shared location)
        # are asked before the report intake's receipts.
        from zhengwei.hydro import (  # noqa: F401
            chat,
            policy,
        )
        from zhengwei.hydro.services.snapshot import on_imported
        from zhengwei.lib.events import subscribe

        subscribe("hydro.imported", on_imported)
