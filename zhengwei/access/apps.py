from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "zhengwei.access"
    label = "access"
    verbose_name = "登录与权限"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.access import signals  # noqa: F401
