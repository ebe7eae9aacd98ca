from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhengwei.notify"
    label = "notify"
    verbose_name = "通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhengwei.lib.events import subscribe
        from zhengwei.notify import policy, tasks  # noqa: F401  (policy registers its actions)

        subscribe("notification.deliveries_queued", tasks.on_deliveries_queued)
