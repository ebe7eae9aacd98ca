from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "zhengwei.newsroom"
    label = "newsroom"
    verbose_name = "新媒体编辑部"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.newsroom import (  # noqa: F401  (actions, event listeners, dispatch handlers)
            chat,
            listeners,
            policy,
        )
