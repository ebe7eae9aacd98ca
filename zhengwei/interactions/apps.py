from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
        from zhengwei.interactions import retention as kept
        from zhengwei.lib import retention
        from zhengwei.reports import notices as report_notices

        listeners.connect()
        retention.register(
            "chat_drafts",
            _("Chat report drafts (location, photos, texts)"),
            kept.drafts_purge,
            oldest=kept.drafts_oldest,
        )
        retention.register(
            "conversation_texts",
            _("What citizens wrote in closed inbox cases"),
            kept.conversations_forget_texts,
            oldest=kept.conversations_oldest_text,
        )
        # The reporter's told text is composed once, when reports writes the step (see
        # zhengwei/reports/notices.py): the status page, the timeline and the message are one text.
        report_notices.register_composer(services.compose_told)
