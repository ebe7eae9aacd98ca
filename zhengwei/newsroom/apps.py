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
        from zhengwei.newsroom.services.emergency import emergency_reason
        from zhengwei.wechat.inbound.changes import emergency_source

        emergency_source(emergency_reason)
