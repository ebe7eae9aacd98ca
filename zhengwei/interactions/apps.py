from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "zhengwei.interactions"
    label = "interactions"
    verbose_name = "公众号互动"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported in ready(), not at the top: they load models, which need the app registry.
        from zhengwei.interactions import (  # noqa: F401  (dispatch handlers)
            chat,
            listeners,
            policy,  # noqa: F401  (registers its actions)
            services,
        )
        from zhengwei.reports import notices as report_notices

        listeners.connect()
        # The reporter's told text is composed once, when reports writes the step (see
        # zhengwei/reports/notices.py): the status page, the timeline and the message are one text.
        report_notices.register_composer(services.compose_told)
